using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Scheduling;

/// <summary>What a service needs of one job: cancel it by id in any state, see it queued and started, and read the progress its work reports.</summary>
public sealed class JobLifeTests
{
    private readonly FakeTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("one", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        return engine;
    }

    [Fact]
    public async Task Cancel_by_id_ends_a_queued_a_running_and_a_retry_waiting_job()
    {
        await using PacerEngine engine = CreateEngine();
        var running = new ManualWork<int>(honourToken: true);
        var retrying = new ManualWork<int>();
        var retry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1) };
        JobHandle<int> waiting = engine.Submit(retrying.Work, new JobOptions { Retry = retry });
        retrying.Fail(new TimeoutException("slow"));
        JobHandle<int> busy = engine.Submit(running.Work, new JobOptions { Lane = "one" });
        JobHandle<int> queued = engine.Submit(Jobs.Instant, new JobOptions { Lane = "one" });
        Assert.Equal((JobState.WaitingToRetry, JobState.Running, JobState.Queued), (waiting.State, busy.State, queued.State));

        Assert.True(engine.Cancel(queued.Id));
        Assert.True(engine.Cancel(busy.Id));
        Assert.True(engine.Cancel(waiting.Id));

        Assert.Equal((JobState.Cancelled, JobState.Cancelled, JobState.Cancelled), (waiting.State, busy.State, queued.State));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.Task.DefaultTimeout());
        Assert.True(running.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Cancel_by_id_of_a_final_or_unknown_job_changes_nothing()
    {
        await using PacerEngine engine = CreateEngine();
        JobHandle<int> done = engine.Submit(Jobs.Instant);
        await done.Task.DefaultTimeout();

        Assert.False(engine.Cancel(done.Id));
        Assert.False(engine.Cancel(12345));
        Assert.Equal(JobState.Succeeded, done.State);
    }

    [Fact]
    public async Task One_item_of_a_batch_is_cancelled_alone()
    {
        await using PacerEngine engine = CreateEngine();
        var first = new ManualWork<int>();
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { JobOptions = new JobOptions { Lane = "one" } });
        batch.Add(first.Work);
        batch.Add(Jobs.Instant);
        batch.Add(Jobs.Instant);
        batch.CompleteAdding();

        Assert.True(batch.Cancel(1));
        Assert.False(batch.Cancel(1));
        first.Complete(7);
        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();

        Assert.Equal([JobState.Succeeded, JobState.Cancelled, JobState.Succeeded], result.Items.Select(i => i.State));
        Assert.Equal(result.Items[1].JobId, batch.GetJobId(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Cancel(3));
    }

    [Fact]
    public async Task Queued_and_started_are_raised_once_per_submit_and_once_per_attempt()
    {
        await using PacerEngine engine = CreateEngine();
        var events = new List<string>();
        engine.JobQueued += (_, e) => events.Add($"queued {e.JobId} {e.State}");
        engine.JobStarted += (_, e) => events.Add($"started {e.JobId} attempt {e.Attempts}");
        var work = new ManualWork<int>();
        var retry = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

        JobHandle<int> job = engine.Submit(work.Work, new JobOptions { Retry = retry });
        work.Fail(new TimeoutException());
        _time.Advance(TimeSpan.FromSeconds(1));
        work.Complete(1);
        await job.Task.DefaultTimeout();

        Assert.Equal([$"queued {job.Id} Queued", $"started {job.Id} attempt 1", $"started {job.Id} attempt 2"], events);
    }

    [Fact]
    public async Task Reported_progress_is_seen_with_the_eta_it_implies()
    {
        await using PacerEngine engine = CreateEngine();
        var seen = new List<(double Fraction, string? Note)>();
        engine.JobProgressed += (_, e) => seen.Add((e.Progress!.Fraction, e.Progress.Note));
        var work = new ManualWork<int>();
        JobHandle<int> job = engine.Submit(work.Work);
        Assert.Null(job.Progress);

        _time.Advance(TimeSpan.FromSeconds(10));
        work.Context.ReportProgress(0.25, "page 1 of 4");

        JobProgress progress = job.Progress!;
        Assert.Equal((0.25, "page 1 of 4"), (progress.Fraction, progress.Note));
        Assert.Equal(TimeSpan.FromSeconds(30), progress.Eta);
        Assert.Equal(_time.GetUtcNow(), progress.ReportedAt);
        Assert.Equal([(0.25, "page 1 of 4")], seen);
        Assert.Throws<ArgumentOutOfRangeException>(() => work.Context.ReportProgress(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => work.Context.ReportProgress(double.NaN));
        work.Complete(1);
        await job.Task.DefaultTimeout();
    }

    [Fact]
    public async Task A_batch_item_s_progress_is_read_by_its_index()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        Batch<int> batch = engine.CreateBatch<int>();
        batch.Add(work.Work);

        work.Context.ReportProgress(0.5);

        Assert.Equal(0.5, batch.GetProgress(0)!.Fraction);
        work.Complete(1);
        batch.CompleteAdding();
        await batch.WhenAllAsync().DefaultTimeout();
    }
}
