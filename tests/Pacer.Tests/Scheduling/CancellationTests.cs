namespace Pacer.Tests.Scheduling;

/// <summary>Rule 6: cancelling a job, a batch or the engine is prompt and leaves every job final.</summary>
public class CancellationTests
{
    private static readonly RetryPolicy SlowRetry = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(5), Jitter = 0 };

    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static async Task AssertCancelledAsync<T>(JobHandle<T> job)
    {
        Assert.Equal(JobState.Cancelled, job.State);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Cancel_QueuedJob_EndsAtOnceWithoutRunning()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var blocker = new ManualWork<int>();
        engine.Submit(blocker.Work, new JobOptions { Lane = "c" });
        var queuedWork = new ManualWork<int>();
        JobHandle<int> queued = engine.Submit(queuedWork.Work, new JobOptions { Lane = "c" });

        queued.Cancel();

        await AssertCancelledAsync(queued);
        blocker.Complete(0);
        Assert.Equal(0, queuedWork.Starts);
        Assert.Equal((0, 1), (engine.GetLaneSnapshot("c").Queued, (int)engine.GetLaneSnapshot("c").Cancelled));
    }

    [Fact]
    public async Task Cancel_RunningJob_CancelsTheAttemptsToken()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>(honourToken: true);
        JobHandle<int> job = engine.Submit(work.Work);

        job.Cancel();

        Assert.True(work.Token.IsCancellationRequested);
        await AssertCancelledAsync(job);
        Assert.Equal(0, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Running);
    }

    [Fact]
    public async Task Cancel_RunningJobWhoseWorkIgnoresTheToken_CallerLearnsAtOnce()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        JobHandle<int> job = engine.Submit(work.Work);

        job.Cancel();

        await AssertCancelledAsync(job);
        Assert.True(work.IsRunning);
    }

    [Fact]
    public async Task Cancel_RunningJobWhoseWorkIgnoresTheToken_KeepsItsSlotUntilTheWorkReturns()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var work = new ManualWork<int>();
        JobHandle<int> job = engine.Submit(work.Work, new JobOptions { Lane = "c" });
        JobHandle<int> next = engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" });

        job.Cancel();
        Assert.Equal(JobState.Queued, next.State);
        work.Complete(42);

        Assert.Equal(JobState.Succeeded, next.State);
        Assert.Equal(JobState.Cancelled, job.State);
        LaneSnapshot lane = engine.GetLaneSnapshot("c");
        Assert.Equal((1, 1, 0), (lane.Succeeded, lane.Cancelled, lane.Running));
    }

    [Fact]
    public async Task Cancel_JobWaitingToRetry_EndsAtOnceAndIsNotRetried()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        JobHandle<int> job = engine.Submit(work.Work, new JobOptions { Retry = SlowRetry });
        work.Fail(new RetryableException("busy"));
        Assert.Equal(JobState.WaitingToRetry, job.State);

        job.Cancel();
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));

        await AssertCancelledAsync(job);
        Assert.Equal(1, work.Starts);
        Assert.Equal(0, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).WaitingToRetry);
    }

    [Fact]
    public async Task Cancel_FinalJob_ChangesNothing()
    {
        await using PacerEngine engine = CreateEngine();
        JobHandle<int> job = engine.Submit(Jobs.Instant);

        job.Cancel();

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(0, await job.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Submit_WithAnAlreadyCancelledToken_EndsCancelledWithoutRunning()
    {
        await using PacerEngine engine = CreateEngine();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var work = new ManualWork<int>();

        JobHandle<int> job = engine.Submit(work.Work, cancellationToken: cts.Token);

        Assert.Equal(JobState.Cancelled, job.State);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Task.DefaultTimeout());
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(0, work.Starts);
        Assert.Equal((0, 1L), (engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Queued, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Cancelled));
    }

    [Fact]
    public async Task CancellingTheSubmitToken_CancelsTheQueuedJob()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" });
        using var cts = new CancellationTokenSource();
        JobHandle<int> job = engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" }, cts.Token);

        await cts.CancelAsync();

        await AssertCancelledAsync(job);
    }

    [Fact]
    public async Task CancellingTheSubmitToken_CancelsTheRunningAttempt()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>(honourToken: true);
        using var cts = new CancellationTokenSource();
        JobHandle<int> job = engine.Submit(work.Work, cancellationToken: cts.Token);

        await cts.CancelAsync();

        Assert.True(work.Token.IsCancellationRequested);
        await AssertCancelledAsync(job);
    }

    [Fact]
    public async Task CancelAll_EndsJobsInEveryStateAtOnce_AndTheEngineGoesOn()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        var failing = new ManualWork<int>();
        JobHandle<int> retrying = engine.Submit(failing.Work, new JobOptions { Lane = "c", Retry = SlowRetry });
        failing.Fail(new RetryableException("busy"));
        JobHandle<int>[] jobs =
        [
            retrying,
            engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" }),
            engine.Submit(new ManualWork<int>(honourToken: true).Work, new JobOptions { Lane = "c" }),
            engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" }),
        ];
        Assert.Equal([JobState.WaitingToRetry, JobState.Running, JobState.Running, JobState.Queued], jobs.Select(j => j.State));

        engine.CancelAll();

        foreach (JobHandle<int> job in jobs)
        {
            await AssertCancelledAsync(job);
        }

        Assert.Equal(0, await engine.RunAsync(Jobs.Instant).DefaultTimeout());
    }

    [Fact]
    public async Task CancelWaiting_EndsQueuedAndRetryWaitingJobs_AndRunningAttemptsGoOn()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        var failing = new ManualWork<int>();
        JobHandle<int> retrying = engine.Submit(failing.Work, new JobOptions { Lane = "c", Retry = SlowRetry });
        failing.Fail(new RetryableException("busy"));
        var running = new ManualWork<int>(honourToken: true);
        var failsLater = new ManualWork<int>();
        JobHandle<int> runs = engine.Submit(running.Work, new JobOptions { Lane = "c" });
        JobHandle<int> retriesLater = engine.Submit(failsLater.Work, new JobOptions { Lane = "c", Retry = SlowRetry });
        JobHandle<int> queued = engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" });
        Assert.Equal([JobState.WaitingToRetry, JobState.Running, JobState.Running, JobState.Queued], new[] { retrying, runs, retriesLater, queued }.Select(j => j.State));

        engine.CancelWaiting();

        await AssertCancelledAsync(retrying);
        await AssertCancelledAsync(queued);
        Assert.False(running.Token.IsCancellationRequested);
        running.Complete(7);
        Assert.Equal(7, await runs.Task.DefaultTimeout());

        failsLater.Fail(new RetryableException("busy"));
        Assert.Equal(JobState.WaitingToRetry, retriesLater.State);
        engine.CancelWaiting();
        await AssertCancelledAsync(retriesLater);
        Assert.Equal(1, failsLater.Starts);
        Assert.Equal(0, await engine.RunAsync(Jobs.Instant, new JobOptions { Lane = "c" }).DefaultTimeout());
    }

    [Fact]
    public async Task CancelAll_EndsQueuedJobs()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" });
        JobHandle<int>[] queued = [.. Enumerable.Range(0, 3).Select(p => engine.Submit(Jobs.Instant, new JobOptions { Lane = "c", Priority = p }))];

        engine.CancelAll();

        foreach (JobHandle<int> job in queued)
        {
            await AssertCancelledAsync(job);
        }

        Assert.Equal(0, engine.GetLaneSnapshot("c").Queued);
    }

    [Fact]
    public async Task DisposeAsync_EndsEveryJob_AndRejectsNewOnes()
    {
        PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var ignoring = new ManualWork<int>();
        var failing = new ManualWork<int>();
        JobHandle<int> running = engine.Submit(ignoring.Work, new JobOptions { Lane = "c" });
        JobHandle<int> queued = engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" });
        JobHandle<int> retrying = engine.Submit(failing.Work, new JobOptions { Retry = SlowRetry });
        failing.Fail(new RetryableException("busy"));

        await engine.DisposeAsync();

        await AssertCancelledAsync(running);
        await AssertCancelledAsync(queued);
        await AssertCancelledAsync(retrying);
        var error = Assert.Throws<InvalidOperationException>(() => engine.Submit(Jobs.Instant));
        Assert.Equal("The engine is disposed.", error.Message);
        ignoring.Complete(1);
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));
        Assert.Equal(1, failing.Starts);
        Assert.Equal(JobState.Cancelled, running.State);
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless()
    {
        PacerEngine engine = CreateEngine();

        await engine.DisposeAsync();
        await engine.DisposeAsync();

        Assert.Throws<InvalidOperationException>(() => engine.Submit(Jobs.Instant));
    }

    [Fact]
    public async Task DrainAsync_CompletesWhenEveryJobIsFinal()
    {
        await using PacerEngine engine = CreateEngine();
        ManualWork<int>[] works = [new(), new()];
        foreach (ManualWork<int> work in works)
        {
            engine.Submit(work.Work);
        }

        Task drained = engine.DrainAsync();
        works[0].Complete(0);
        Assert.False(drained.IsCompleted);
        works[1].Complete(0);

        await drained.DefaultTimeout();
    }

    [Fact]
    public async Task DrainAsync_CompletesWhenJobsAreCancelled()
    {
        await using PacerEngine engine = CreateEngine();
        engine.Submit(new ManualWork<int>().Work);

        Task drained = engine.DrainAsync();
        engine.CancelAll();

        await drained.DefaultTimeout();
    }

    [Fact]
    public async Task DrainAsync_WithNothingRunning_CompletesAtOnce()
    {
        await using PacerEngine engine = CreateEngine();

        Task drained = engine.DrainAsync();

        Assert.True(drained.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DrainAsync_RejectsNewJobs()
    {
        await using PacerEngine engine = CreateEngine();
        engine.Submit(new ManualWork<int>().Work);

        _ = engine.DrainAsync();

        var error = Assert.Throws<InvalidOperationException>(() => engine.Submit(Jobs.Instant));
        Assert.Equal("The engine is draining and takes no new jobs.", error.Message);
    }

    [Fact]
    public async Task DrainAsync_CancellingTheWait_LeavesTheJobsRunning()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        JobHandle<int> job = engine.Submit(work.Work);
        using var cts = new CancellationTokenSource();

        Task drained = engine.DrainAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drained.DefaultTimeout());
        Assert.Equal(JobState.Running, job.State);
        work.Complete(3);
        Assert.Equal(3, await job.Task.DefaultTimeout());
    }
}
