namespace Pacer.Tests.Batches;

/// <summary>Batch progress: counts by state, completeness, ETA and throughput.</summary>
public partial class BatchTests
{
    [Fact]
    public async Task Snapshot_CountsTheBatchsJobsByState()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1) };
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { JobOptions = new JobOptions { Lane = "c" } });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" }); // not in the batch
        batch.Add(Jobs.Instant);
        batch.Add(Jobs.Failing(() => new PermanentException("no")));
        batch.Add(Jobs.Failing(() => new TimeoutException()), new JobOptions { Lane = "c", Retry = policy });
        batch.Add(new ManualWork<int>().Work);
        batch.Add(Jobs.Instant);
        batch.Add(Jobs.Instant);
        ManualWork<int> cancelled = AddManual(batch, 1)[0];

        BatchSnapshot snapshot = batch.GetSnapshot();

        Assert.Equal(
            (Total: 7, Queued: 3, Running: 1, WaitingToRetry: 1, Succeeded: 1, Failed: 1, Cancelled: 0, IsComplete: false),
            (snapshot.Total, snapshot.Queued, snapshot.Running, snapshot.WaitingToRetry, snapshot.Succeeded, snapshot.Failed, snapshot.Cancelled, snapshot.IsComplete));
        Assert.Equal(2 / 7.0, snapshot.Fraction);
        Assert.Equal(0, cancelled.Starts);
    }

    [Fact]
    public async Task Snapshot_WhenEveryJobIsFinal_IsComplete()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        batch.Add(Jobs.Instant);
        batch.Add(Jobs.Failing(() => new PermanentException("no")));
        await batch.WhenAllAsync().DefaultTimeout();

        BatchSnapshot snapshot = batch.GetSnapshot();

        Assert.True(snapshot.IsComplete);
        Assert.Equal(1, snapshot.Fraction);
        Assert.Equal(TimeSpan.Zero, snapshot.Eta);
    }

    [Fact]
    public async Task Snapshot_Eta_IsTheSlowestLanesJobsOverItsCapacity()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("fast", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        engine.AddLane("slow", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(2) } });
        Batch<int> batch = engine.CreateBatch<int>();
        var never = new TaskCompletionSource<int>();
        Func<JobContext, ValueTask<int>> work = _ => new ValueTask<int>(never.Task);
        for (int i = 0; i < 50; i++)
        {
            batch.Add(work, new JobOptions { Lane = "fast" });
        }

        for (int i = 0; i < 8; i++)
        {
            batch.Add(work, new JobOptions { Lane = "slow" });
        }

        Assert.Equal(TimeSpan.FromSeconds(5), batch.GetSnapshot().Eta);
    }

    [Fact]
    public async Task Snapshot_Throughput_CountsTheBatchsCompletions()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(4) } });
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { JobOptions = new JobOptions { Lane = "r" } });
        for (int i = 0; i < 20; i++)
        {
            batch.Add(Jobs.Instant);
        }

        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));

        // Completions at 0, 250, ..., 2000 ms: 9 in 2 seconds.
        Assert.Equal(9 / 2.0, batch.GetSnapshot().Throughput);
    }
}
