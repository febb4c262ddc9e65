namespace Pacer.Tests.Lanes;

public class CostRateTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    [Fact]
    public async Task CostRate_JobWaitsUntilItsCostHasRefilled()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerSecond(100, burst: 100) } });
        var log = new StartLog(_time);

        int[] costs = [60, 60, 30];
        Task<int>[] jobs = [.. costs.Select(cost => engine.RunAsync(log.Instant(), new JobOptions { Lane = "t", Cost = cost }))];
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(0, 200, 500), log.Times);
    }

    [Fact]
    public async Task ReportCost_BelowEstimate_RefundStartsWaitingJobAtOnce()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        var estimated = new ManualWork<int>();
        engine.Submit(estimated.Work, new JobOptions { Lane = "t", Cost = 100 });
        JobHandle<int> waiting = engine.Submit(Jobs.Instant, new JobOptions { Lane = "t", Cost = 80 });
        Assert.Equal(JobState.Queued, waiting.State);

        Assert.Equal(100, engine.GetLaneSnapshot("t").CostSpent);
        estimated.Context.ReportCost(20);

        Assert.Equal(JobState.Succeeded, waiting.State);
        Assert.Equal(20 + 80, engine.GetLaneSnapshot("t").CostSpent);
    }

    [Fact]
    public async Task ReportCost_AboveEstimate_NextJobWaitsForTheRealUsage()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerSecond(100, burst: 100) } });
        var log = new StartLog(_time);
        await engine.RunAsync(
            context =>
            {
                context.ReportCost(100);
                return ValueTask.FromResult(0);
            },
            new JobOptions { Lane = "t", Cost = 10 }).DefaultTimeout();

        Task<int> next = engine.RunAsync(log.Instant(), new JobOptions { Lane = "t", Cost = 10 });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await next.DefaultTimeout();
        Assert.Equal(Ms.Of(100), log.TimeOf(""));
    }

    [Fact]
    public async Task ReportCost_OnChildJob_CorrectsTheParentsCostRate()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("p", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        engine.AddLane("p/c", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var child = new ManualWork<int>();
        engine.Submit(child.Work, new JobOptions { Lane = "p/c", Cost = 100 });
        JobHandle<int> parentJob = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p", Cost = 90 });
        Assert.Equal(JobState.Queued, parentJob.State);

        child.Context.ReportCost(10);

        Assert.Equal(JobState.Succeeded, parentJob.State);
    }

    [Fact]
    public async Task ReportCost_AfterTheAttemptEnded_ChangesNothing()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        JobContext captured = default;
        await engine.RunAsync(
            context =>
            {
                captured = context;
                return ValueTask.FromResult(0);
            },
            new JobOptions { Lane = "t", Cost = 10 }).DefaultTimeout();

        captured.ReportCost(1_000);

        JobHandle<int> next = engine.Submit(Jobs.Instant, new JobOptions { Lane = "t", Cost = 90 });
        Assert.Equal(JobState.Succeeded, next.State);
    }

    [Fact]
    public async Task ReportCost_Negative_Throws()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        engine.Submit(work.Work);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => work.Context.ReportCost(-1));

        Assert.Equal("actualCost", error.ParamName);
    }

    [Fact]
    public async Task CostRate_JobCostlierThanTheBurst_StartsOnAFullBucketAndLeavesDebt()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerSecond(100, burst: 100) } });
        var log = new StartLog(_time);

        Task<int> big = engine.RunAsync(log.Instant("big"), new JobOptions { Lane = "t", Cost = 250 });
        Task<int> small = engine.RunAsync(log.Instant("small"), new JobOptions { Lane = "t", Cost = 1 });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(3));

        await Task.WhenAll(big, small).DefaultTimeout();
        Assert.Equal(TimeSpan.Zero, log.TimeOf("big"));
        Assert.Equal(Ms.Of(1510), log.TimeOf("small"));
    }

    [Fact]
    public async Task CostRate_ZeroCostJob_StartsEvenWhenTheCostRateIsSpent()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "t", Cost = 100 });

        JobHandle<int> free = engine.Submit(Jobs.Instant, new JobOptions { Lane = "t", Cost = 0 });

        Assert.Equal(JobState.Succeeded, free.State);
    }

    [Fact]
    public async Task CostRate_DebtLongerThanATimerCanWait_JobStillStartsWhenDue()
    {
        // Timers take due times up to about 49.7 days; a reported cost may put a lane further in debt.
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("t", new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerDay(10, burst: 10) } });
        var log = new StartLog(_time);
        await engine.RunAsync(
            context =>
            {
                context.ReportCost(1_000);
                return ValueTask.FromResult(0);
            },
            new JobOptions { Lane = "t", Cost = 1 }).DefaultTimeout();

        Task<int> next = engine.RunAsync(log.Instant(), new JobOptions { Lane = "t", Cost = 1 });
        _time.AdvanceStepwise(TimeSpan.FromDays(100));

        await next.DefaultTimeout();
        Assert.Equal(TimeSpan.FromDays(99.1), log.TimeOf(""));
    }
}
