namespace Pacer.Tests.Lanes;

public class UpdateLaneTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    [Fact]
    public async Task RaisingTheRate_KeepsWhatWasSpent_NoFreshBurst()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10, burst: 10) } });
        var log = new StartLog(_time);
        Task<int>[] jobs = [.. Enumerable.Range(0, 20).Select(_ => engine.RunAsync(log.Instant(), new JobOptions { Lane = "r" }))];
        Assert.Equal(10, log.Count);

        // Ten units of debt at 10/s are one second; at 100/s the same ten units are 100 ms.
        engine.UpdateLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(100, burst: 10) } });
        Assert.Equal(10, log.Count);
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), log.Times.Skip(10));
    }

    [Fact]
    public async Task LoweringTheRate_SlowsTheQueuedJobsAtOnce()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(100) } });
        var log = new StartLog(_time);
        Task<int>[] jobs = [.. Enumerable.Range(0, 3).Select(_ => engine.RunAsync(log.Instant(), new JobOptions { Lane = "r" }))];

        engine.UpdateLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(0, 100, 200), log.Times);
    }

    [Fact]
    public async Task RaisingConcurrency_StartsQueuedJobsAtOnce()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        JobHandle<int>[] jobs = [.. Enumerable.Range(0, 3).Select(_ => engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" }))];

        engine.UpdateLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 3 });

        Assert.All(jobs, j => Assert.Equal(JobState.Running, j.State));
    }

    [Fact]
    public async Task LoweringConcurrency_StartsNothingUntilBelowTheNewLimit()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 3 });
        ManualWork<int>[] running = [new(), new(), new()];
        foreach (ManualWork<int> work in running)
        {
            engine.Submit(work.Work, new JobOptions { Lane = "c" });
        }

        JobHandle<int> queued = engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" });

        engine.UpdateLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        running[0].Complete(0);
        running[1].Complete(0);
        Assert.Equal(JobState.Queued, queued.State);
        running[2].Complete(0);
        Assert.Equal(JobState.Succeeded, queued.State);
    }

    [Fact]
    public async Task RaisingTheQuota_KeepsWhatWasUsed()
    {
        await using PacerEngine engine = CreateEngine();
        var quota = new QuotaOptions { Limit = 3, RefillEvery = TimeSpan.FromHours(1) };
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = quota });
        JobHandle<int>[] jobs = [.. Enumerable.Range(0, 5).Select(_ => engine.Submit(Jobs.Instant, new JobOptions { Lane = "q" }))];

        engine.UpdateLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 4, RefillEvery = TimeSpan.FromHours(1) } });

        Assert.Equal(
            [JobState.Succeeded, JobState.Succeeded, JobState.Succeeded, JobState.Succeeded, JobState.Queued],
            jobs.Select(j => j.State));
    }

    [Fact]
    public async Task ChangingTheOptionsObjectAfterwards_ChangesNothing()
    {
        await using PacerEngine engine = CreateEngine();
        var options = new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 };
        engine.AddLane("c", options);

        options.MaxConcurrency = 5;
        options.Rates.Add(RateLimit.PerMinute(1));
        JobHandle<int>[] jobs = [.. Enumerable.Range(0, 2).Select(_ => engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" }))];

        Assert.Equal([JobState.Running, JobState.Queued], jobs.Select(j => j.State));
        Assert.Equal(1, engine.GetLaneSnapshot("c").MaxConcurrency);
        Assert.Empty(engine.GetLaneSnapshot("c").Rates);
    }

    [Fact]
    public async Task UpdateLane_ShowsTheNewLimitsInSnapshots()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(1) } });

        engine.UpdateLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 4, Rates = { RateLimit.PerMinute(30, burst: 5) }, CostRates = { RateLimit.PerMinute(1000) } });

        LaneSnapshot lane = engine.GetLaneSnapshot("r");
        Assert.Equal(4, lane.MaxConcurrency);
        Assert.Equal([RateLimit.PerMinute(30, burst: 5)], lane.Rates);
        Assert.Equal([RateLimit.PerMinute(1000)], lane.CostRates);
    }
}
