namespace Pacer.Tests.Resilience;

/// <summary>Attempt timeouts: what a timeout does to the job, its slot and a late result; lifting it.</summary>
public partial class RetryTests
{
    [Fact]
    public async Task Timeout_CancelsTheAttempt_AndCountsAsARetryableTimeoutException()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(500), Jitter = 0 };
        var work = new ManualWork<int>(honourToken: true);
        var log = new StartLog(_time);

        JobHandle<int> job = engine.Submit(
            context =>
            {
                log.Record("attempt");
                return work.Work(context);
            },
            new JobOptions { Timeout = TimeSpan.FromSeconds(1), Retry = policy });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(10));

        Assert.Equal(Ms.Of(0, 1500), log.Times);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => job.Task.DefaultTimeout());
        Assert.Equal("Attempt 2 timed out after 00:00:01.", error.Message);
        Assert.True(work.Token.IsCancellationRequested);
        Assert.Equal(JobState.Failed, job.State);
    }

    [Fact]
    public async Task Timeout_WorkIgnoringItsToken_TheJobGoesOnAtOnce_AndTheSlotWaitsForTheWork()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("one", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var stuck = new ManualWork<int>(honourToken: false);
        JobHandle<int> job = engine.Submit(stuck.Work, new JobOptions { Lane = "one", Timeout = TimeSpan.FromSeconds(1), Retry = RetryPolicy.None });
        JobHandle<int> next = engine.Submit(_ => ValueTask.FromResult(7), new JobOptions { Lane = "one" });

        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => job.Task.DefaultTimeout());
        Assert.Equal("Attempt 1 timed out after 00:00:01.", error.Message);
        Assert.Equal(JobState.Queued, next.State);
        Assert.Equal(1, engine.GetLaneSnapshot("one").Running);

        stuck.Complete(1);

        Assert.Equal(7, await next.Task.DefaultTimeout());
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal(0, engine.GetLaneSnapshot("one").Running);
    }

    [Fact]
    public async Task Timeout_LeftBehindAttemptEndingLate_DoesNotOverwriteTheRetrysResult()
    {
        await using PacerEngine engine = CreateEngine();
        var first = new ManualWork<int>(honourToken: false);
        int attempts = 0;
        JobHandle<int> job = engine.Submit(
            context => ++attempts == 1 ? first.Work(context) : ValueTask.FromResult(2),
            new JobOptions { Timeout = TimeSpan.FromSeconds(1), Retry = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.Zero, Jitter = 0 } });

        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await job.Task.DefaultTimeout());

        first.Complete(1);

        Assert.Equal(2, await job.Task.DefaultTimeout());
        Assert.Equal((1L, 0), (engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Succeeded, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Running));
    }

    [Fact]
    public async Task TryStopTimeout_BeforeTheTimeout_LetsTheAttemptRunOn_WithoutARetry()
    {
        await using PacerEngine engine = CreateEngine();
        var done = new TaskCompletionSource<int>();
        bool stopped = false;
        JobHandle<int> job = engine.Submit(
            async context =>
            {
                stopped = context.TryStopTimeout();
                return await done.Task;
            },
            new JobOptions { Timeout = TimeSpan.FromSeconds(1), Retry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, Jitter = 0 } });

        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));
        Assert.True(stopped);
        Assert.Equal((JobState.Running, 1), (job.State, job.Attempts));

        done.SetResult(4);

        Assert.Equal(4, await job.Task.DefaultTimeout());
    }

    [Fact]
    public async Task TryStopTimeout_AfterTheTimeout_IsTooLate()
    {
        await using PacerEngine engine = CreateEngine();
        var first = new TaskCompletionSource();
        bool? stoppedLate = null;
        JobHandle<int> job = engine.Submit(
            async context =>
            {
                if (context.Attempt == 1)
                {
                    await first.Task;
                    stoppedLate = context.TryStopTimeout();
                }

                return context.Attempt;
            },
            new JobOptions { Timeout = TimeSpan.FromSeconds(1), Retry = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromSeconds(10), Jitter = 0 } });

        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));
        Assert.Equal(JobState.WaitingToRetry, job.State);
        first.SetResult();

        Assert.False(stoppedLate);
        _time.AdvanceStepwise(TimeSpan.FromSeconds(10));
        Assert.Equal(2, await job.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Timeout_NotReached_LeavesTheAttemptAlone()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>(honourToken: true);
        JobHandle<int> job = engine.Submit(work.Work, new JobOptions { Timeout = TimeSpan.FromSeconds(1) });

        _time.AdvanceStepwise(TimeSpan.FromMilliseconds(999));
        work.Complete(4);
        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));

        Assert.Equal(4, await job.Task.DefaultTimeout());
        Assert.Equal(1, work.Starts);
    }

    [Fact]
    public async Task Timeout_LongerThanATimersLongestDue_StillFiresAtItsTime()
    {
        // The engine gives a timer at most one day; a timeout three days off fires early twice and is set again.
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>(honourToken: false);
        JobHandle<int> job = engine.Submit(work.Work, new JobOptions { Timeout = TimeSpan.FromDays(3), Retry = RetryPolicy.None });

        _time.AdvanceStepwise(TimeSpan.FromDays(3) - TimeSpan.FromTicks(1));
        Assert.Equal(JobState.Running, job.State);
        _time.AdvanceStepwise(TimeSpan.FromTicks(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => job.Task.DefaultTimeout());
        Assert.Equal("Attempt 1 timed out after 3.00:00:00.", error.Message);
    }
}
