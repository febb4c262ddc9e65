namespace Pacer.Tests.Scheduling;

public class PriorityTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine(TimeSpan? aging = null)
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time, PriorityAging = aging ?? TimeSpan.FromSeconds(10) });
    }

    [Fact]
    public async Task HigherPriority_StartsFirst_EqualPrioritiesInArrivalOrder()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var blocker = new ManualWork<int>();
        engine.Submit(blocker.Work, new JobOptions { Lane = "c" });
        var log = new StartLog(_time);
        (int Priority, string Name)[] jobs = [(0, "a"), (5, "b"), (1, "c"), (5, "d"), (-2, "e")];
        foreach ((int priority, string name) in jobs)
        {
            engine.Submit(log.Instant(name), new JobOptions { Lane = "c", Priority = priority });
        }

        blocker.Complete(0);

        Assert.Equal(["b", "d", "c", "a", "e"], log.Names);
    }

    [Theory]
    [InlineData(-1, "high")] // waited one tick short of three aging periods: the fresh job of priority 3 wins
    [InlineData(0, "high")] // exactly three periods: equal effective priority, and the higher priority goes first
    [InlineData(1, "low")] // one tick longer: the old job of priority 0 now ranks above priority 3
    public async Task Aging_RaisesAWaitingJobOneLevelPerAgingPeriod(long extraTicks, string first)
    {
        await using PacerEngine engine = CreateEngine(aging: TimeSpan.FromSeconds(1));
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var blocker = new ManualWork<int>();
        engine.Submit(blocker.Work, new JobOptions { Lane = "c" });
        var log = new StartLog(_time);

        engine.Submit(log.Instant("low"), new JobOptions { Lane = "c", Priority = 0 });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(3) + TimeSpan.FromTicks(extraTicks));
        engine.Submit(log.Instant("high"), new JobOptions { Lane = "c", Priority = 3 });
        blocker.Complete(0);

        Assert.Equal(first, log.Names[0]);
    }

    [Fact]
    public async Task Aging_AsDocumented_PriorityZeroAfterTenPeriodsBeatsAFreshNine()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var blocker = new ManualWork<int>();
        engine.Submit(blocker.Work, new JobOptions { Lane = "c" });
        var log = new StartLog(_time);

        engine.Submit(log.Instant("old"), new JobOptions { Lane = "c", Priority = 0 });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(100));
        engine.Submit(log.Instant("fresh"), new JobOptions { Lane = "c", Priority = 9 });
        blocker.Complete(0);

        Assert.Equal(["old", "fresh"], log.Names);
    }

    [Fact]
    public async Task Aging_AppliesAcrossSiblingLanes()
    {
        await using PacerEngine engine = CreateEngine(aging: TimeSpan.FromSeconds(1));
        engine.AddLane("p", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.AddLane("p/a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("p/b", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var blocker = new ManualWork<int>();
        engine.Submit(blocker.Work, new JobOptions { Lane = "p" });
        var log = new StartLog(_time);

        engine.Submit(log.Instant("old"), new JobOptions { Lane = "p/b", Priority = 0 });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));
        engine.Submit(log.Instant("fresh"), new JobOptions { Lane = "p/a", Priority = 1 });
        blocker.Complete(0);

        Assert.Equal(["old", "fresh"], log.Names);
    }

    [Fact]
    public async Task HigherPriority_StartsFirstAcrossSiblingLanes()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("p", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.AddLane("p/a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("p/b", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var blocker = new ManualWork<int>();
        engine.Submit(blocker.Work, new JobOptions { Lane = "p" });
        var log = new StartLog(_time);

        engine.Submit(log.Instant("a-low"), new JobOptions { Lane = "p/a", Priority = 0 });
        engine.Submit(log.Instant("b-high"), new JobOptions { Lane = "p/b", Priority = 2 });
        engine.Submit(log.Instant("p-mid"), new JobOptions { Lane = "p", Priority = 1 });
        blocker.Complete(0);

        Assert.Equal(["b-high", "p-mid", "a-low"], log.Names);
    }

    [Fact]
    public async Task Aging_LowPriorityJob_IsNotStarvedByAStreamOfHigherOnes()
    {
        // Each high job, as it starts, submits the next; the lane starts one job every 100 ms. The
        // queued high job always entered 100 ms before it could start, so with 1 s aging the old
        // low job outranks it once that entry is more than 5 s after the low job's: at 5.2 s.
        await using PacerEngine engine = CreateEngine(aging: TimeSpan.FromSeconds(1));
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        var log = new StartLog(_time);
        var high = new JobOptions { Lane = "r", Priority = 5 };
        Func<JobContext, ValueTask<int>> stream = null!;
        stream = _ =>
        {
            log.Record("high");
            if (log.Count < 200)
            {
                engine.Submit(stream, high);
            }

            return ValueTask.FromResult(0);
        };
        engine.Submit(stream, high);

        Task<int> low = engine.RunAsync(log.Instant("low"), new JobOptions { Lane = "r", Priority = 0 });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(10));

        await low.DefaultTimeout();
        Assert.Equal(TimeSpan.FromSeconds(5.2), log.TimeOf("low"));
    }
}
