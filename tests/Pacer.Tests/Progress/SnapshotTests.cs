namespace Pacer.Tests.Progress;

public class SnapshotTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine(int recentCompletions = 20)
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time, RecentCompletions = recentCompletions });
    }

    private Func<JobContext, ValueTask<int>> Taking(TimeSpan duration) => _ => new ValueTask<int>(_time.CompleteAfter(duration, 0));

    [Fact]
    public async Task Eta_AtStart_IsTheJobsOverTheLaneRate()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        var never = new TaskCompletionSource<int>();
        for (int i = 0; i < 100; i++)
        {
            engine.Submit(_ => new ValueTask<int>(never.Task), new JobOptions { Lane = "r" });
        }

        LaneSnapshot lane = engine.GetLaneSnapshot("r");

        Assert.Equal((99, 1), (lane.Queued, lane.Running));
        Assert.Equal(10, lane.Capacity);
        Assert.Equal(TimeSpan.FromSeconds(10), lane.Eta);
    }

    [Fact]
    public async Task Eta_ShrinksAsJobsFinish()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        for (int i = 0; i < 100; i++)
        {
            engine.Submit(Jobs.Instant, new JobOptions { Lane = "r" });
        }

        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));
        LaneSnapshot lane = engine.GetLaneSnapshot("r");

        Assert.Equal((51, 49), (lane.Succeeded, lane.Queued));
        Assert.Equal(TimeSpan.FromSeconds(4.9), lane.Eta);
    }

    [Fact]
    public async Task Throughput_BeforeTheWindowFills_IsCompletionsOverTheTimeSinceTheFirst()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        for (int i = 0; i < 100; i++)
        {
            engine.Submit(Jobs.Instant, new JobOptions { Lane = "r" });
        }

        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));

        // Completions at 0, 100, ..., 5000 ms: 51 in 5 seconds.
        Assert.Equal(51 / 5.0, engine.GetLaneSnapshot("r").Throughput);
    }

    [Fact]
    public async Task Throughput_SteadyRate_ReadsThatRateOnceTheWindowIsFull()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        for (int i = 0; i < 400; i++)
        {
            engine.Submit(Jobs.Instant, new JobOptions { Lane = "r" });
        }

        _time.AdvanceStepwise(TimeSpan.FromSeconds(3));
        var readings = new List<(TimeSpan At, double PerSecond)>();
        for (int step = 0; step < 540; step++)
        {
            _time.AdvanceStepwise(TimeSpan.FromMilliseconds(50));
            readings.Add((TimeSpan.FromSeconds(3) + (step * TimeSpan.FromMilliseconds(50)), engine.GetLaneSnapshot("r").Throughput));
        }

        // One completion every 100 ms, counted at both ends of the window: a little over 10.
        Assert.All(readings, r => Assert.InRange(r.PerSecond, 9.9, 10.35));
    }

    [Fact]
    public async Task Throughput_FallsToZeroOnceTheWindowHasNoCompletions()
    {
        await using PacerEngine engine = CreateEngine();
        for (int i = 0; i < 10; i++)
        {
            engine.Submit(Jobs.Instant);
        }

        _time.AdvanceStepwise(TimeSpan.FromSeconds(11));

        Assert.Equal(0, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Throughput);
    }

    [Theory]
    [InlineData(0, 4.0)] // concurrency 2 over 0.5 s latency
    [InlineData(3, 3.0)] // a rate of 3/s is the tighter bound
    public async Task Capacity_IsTheLeastOfRateAndConcurrencyOverLatency(int perSecond, double expected)
    {
        await using PacerEngine engine = CreateEngine();
        var options = new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 };
        if (perSecond > 0)
        {
            options.Rates.Add(RateLimit.PerSecond(perSecond));
        }

        engine.AddLane("c", options);
        for (int i = 0; i < 20; i++)
        {
            engine.Submit(Taking(TimeSpan.FromMilliseconds(500)), new JobOptions { Lane = "c" });
        }

        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));
        LaneSnapshot lane = engine.GetLaneSnapshot("c");

        Assert.Equal(TimeSpan.FromMilliseconds(500), lane.AverageLatency);
        Assert.Equal(expected, lane.Capacity!.Value, 9);
        int remaining = lane.Queued + lane.Running;
        Assert.Equal(remaining / expected, lane.Eta!.Value.TotalSeconds, 6);
    }

    [Fact]
    public async Task Capacity_OfACostRate_IsItsRateOverTheAverageCost()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerSecond(100, burst: 100) } });
        for (int i = 0; i < 10; i++)
        {
            engine.Submit(Jobs.Instant, new JobOptions { Lane = "t", Cost = 20 });
        }

        LaneSnapshot lane = engine.GetLaneSnapshot("t");

        Assert.Equal(5, lane.Capacity);
        Assert.Equal(TimeSpan.FromSeconds(1), lane.Eta);
    }

    [Fact]
    public async Task Capacity_OfAChildLane_IsBoundByItsParent()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("p", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(5) } });
        engine.AddLane("p/c", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(50) } });

        Assert.Equal(5, engine.GetLaneSnapshot("p/c").Capacity);
    }

    [Fact]
    public async Task Eta_IsUnknownWhileNothingBoundsTheLane()
    {
        await using PacerEngine engine = CreateEngine();
        engine.Submit(new ManualWork<int>().Work);

        LaneSnapshot lane = engine.GetLaneSnapshot(PacerEngine.DefaultLaneName);

        Assert.Null(lane.Capacity);
        Assert.Null(lane.Eta);
    }

    [Fact]
    public async Task Eta_IsZeroWhenTheLaneHasNothingLeft()
    {
        await using PacerEngine engine = CreateEngine();

        Assert.Equal(TimeSpan.Zero, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Eta);
    }

    [Fact]
    public async Task Snapshot_CountsJobsByState()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0 };
        await engine.RunAsync(Jobs.Instant, new JobOptions { Lane = "c" }).DefaultTimeout();
        engine.Submit(Jobs.Failing(() => new PermanentException("no")), new JobOptions { Lane = "c" });
        engine.Submit(Jobs.Failing(() => new TimeoutException()), new JobOptions { Lane = "c", Retry = policy });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" }).Cancel();
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "c" });

        LaneSnapshot lane = engine.GetLaneSnapshot("c");

        Assert.Equal(
            (Queued: 1, Running: 1, WaitingToRetry: 1, Succeeded: 1L, Failed: 1L, Cancelled: 1L, Retries: 1L),
            (lane.Queued, lane.Running, lane.WaitingToRetry, lane.Succeeded, lane.Failed, lane.Cancelled, lane.Retries));
    }

    [Fact]
    public async Task Snapshot_ShowsTheQuotaLeftAndItsRefill()
    {
        await using PacerEngine engine = CreateEngine();
        DateTimeOffset start = _time.GetUtcNow();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 5, RefillEvery = TimeSpan.FromHours(1) } });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "q" });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "q" });

        LaneSnapshot lane = engine.GetLaneSnapshot("q");

        Assert.Equal(3, lane.QuotaRemaining);
        Assert.Equal(start + TimeSpan.FromHours(1), lane.QuotaRefillsAt);
        Assert.Null(engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).QuotaRemaining);
    }

    [Fact]
    public async Task RecentCompletions_ListLaneStateDurationAndAttempts_NewestFirst()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("b", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        JobHandle<int> slow = engine.Submit(Taking(TimeSpan.FromMilliseconds(300)), new JobOptions { Lane = "a" });
        JobHandle<int> fast = engine.Submit(Taking(TimeSpan.FromMilliseconds(100)), new JobOptions { Lane = "b" });
        JobHandle<int> failed = engine.Submit(Jobs.Failing(() => new PermanentException("no")), new JobOptions { Lane = "b" });

        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));
        EngineSnapshot snapshot = engine.GetSnapshot();

        Assert.Equal(
            [
                new CompletionRecord(slow.Id, "a", JobState.Succeeded, TimeSpan.FromMilliseconds(300), 1, -1),
                new CompletionRecord(fast.Id, "b", JobState.Succeeded, TimeSpan.FromMilliseconds(100), 1, -1),
                new CompletionRecord(failed.Id, "b", JobState.Failed, TimeSpan.Zero, 1, -1),
            ],
            snapshot.RecentCompletions);
        Assert.Equal(_time.GetUtcNow(), snapshot.At);
    }

    [Fact]
    public async Task RecentCompletions_KeepOnlyTheConfiguredNumber()
    {
        await using PacerEngine engine = CreateEngine(recentCompletions: 3);
        long[] ids = [.. Enumerable.Range(0, 5).Select(_ => engine.Submit(Jobs.Instant).Id)];

        EngineSnapshot snapshot = engine.GetSnapshot();

        Assert.Equal([ids[4], ids[3], ids[2]], snapshot.RecentCompletions.Select(c => c.JobId));
    }

    [Fact]
    public async Task RecentCompletions_Zero_KeepsNone()
    {
        await using PacerEngine engine = CreateEngine(recentCompletions: 0);
        engine.Submit(Jobs.Instant);

        Assert.Empty(engine.GetSnapshot().RecentCompletions);
    }

    [Fact]
    public async Task EngineSnapshot_ListsEveryLane_ParentsBeforeChildren()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("openai", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("openai-eu", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("openai/gpt-4o", new LaneOptions { PeriodMargin = TimeSpan.Zero });

        Assert.Equal(["default", "openai", "openai-eu", "openai/gpt-4o"], engine.GetSnapshot().Lanes.Select(l => l.Name));
    }

    [Fact]
    public async Task GetLaneSnapshot_UnknownLane_Throws()
    {
        await using PacerEngine engine = CreateEngine();

        Assert.Throws<ArgumentException>(() => engine.GetLaneSnapshot("nope"));
    }
}
