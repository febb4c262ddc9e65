namespace Pacer.Tests.Lanes;

public class QuotaTests
{
    private SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static Task<int>[] SubmitAll(PacerEngine engine, StartLog log, params long[] costs) =>
        [.. costs.Select(cost => engine.RunAsync(log.Instant(), new JobOptions { Lane = "q", Cost = cost }))];

    [Fact]
    public async Task Quota_WhenSpent_JobsWaitForTheRefill()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 3, RefillEvery = TimeSpan.FromMinutes(1) } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 1, 1, 1, 1, 1);
        _time.AdvanceStepwise(TimeSpan.FromMinutes(2));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)], log.Times);
    }

    [Fact]
    public async Task Quota_RefillsOnItsOwnSchedule_CountedFromTheLanesCreation()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 3, RefillEvery = TimeSpan.FromMinutes(1) } });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(90));
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 1, 1, 1, 1);
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(30)], log.Times);
    }

    [Fact]
    public async Task DailyQuota_ResetsAtMidnightUtc()
    {
        _time = new SteppedTimeProvider(new DateTimeOffset(2025, 3, 1, 22, 30, 0, TimeSpan.Zero));
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 2, ResetAtUtc = TimeOnly.MinValue } });
        DateTimeOffset? started = null;

        Task<int>[] jobs = [.. Enumerable.Range(0, 3).Select(_ => engine.RunAsync(
            _ =>
            {
                started = _time.GetUtcNow();
                return ValueTask.FromResult(0);
            },
            new JobOptions { Lane = "q" }))];
        LaneSnapshot spent = engine.GetLaneSnapshot("q");
        _time.AdvanceStepwise(TimeSpan.FromHours(2));

        await Task.WhenAll(jobs).DefaultTimeout();
        var midnight = new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(midnight, started);
        Assert.Equal(0, spent.QuotaRemaining);
        Assert.Equal(midnight, spent.QuotaRefillsAt);
    }

    [Theory]
    [InlineData(10, 6, 20)] // 06:00 has passed at 10:00: the next reset is tomorrow
    [InlineData(3, 6, 3)] // 06:00 is still ahead at 03:00
    [InlineData(6, 6, 24)] // at 06:00 exactly the reset has just happened: the next is tomorrow
    public async Task DailyQuota_ResetsAtTheConfiguredUtcClockTime(int nowHour, int resetHour, int hoursUntilReset)
    {
        _time = new SteppedTimeProvider(new DateTimeOffset(2025, 3, 1, nowHour, 0, 0, TimeSpan.Zero));
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 1, ResetAtUtc = new TimeOnly(resetHour, 0) } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 1, 1);
        _time.AdvanceStepwise(TimeSpan.FromDays(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromHours(hoursUntilReset)], log.Times);
    }

    [Fact]
    public async Task QuotaCountingCost_SpendsEachJobsCost()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 100, RefillEvery = TimeSpan.FromMinutes(1), CountsCost = true } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 40, 40, 40);
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMinutes(1)], log.Times);
        Assert.Equal(60, engine.GetLaneSnapshot("q").QuotaRemaining);
    }

    [Fact]
    public async Task QuotaCountingCost_JobBiggerThanTheWholeQuota_StartsOnAFreshQuota()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 10, RefillEvery = TimeSpan.FromMinutes(1), CountsCost = true } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 50, 1);
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(1)], log.Times);
    }

    [Fact]
    public async Task QuotaCountingCost_ReportCostBelowEstimate_GivesTheDifferenceBack()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 100, RefillEvery = TimeSpan.FromHours(1), CountsCost = true } });
        var estimated = new ManualWork<int>();
        engine.Submit(estimated.Work, new JobOptions { Lane = "q", Cost = 100 });
        JobHandle<int> waiting = engine.Submit(Jobs.Instant, new JobOptions { Lane = "q", Cost = 70 });
        Assert.Equal(JobState.Queued, waiting.State);

        estimated.Context.ReportCost(30);

        Assert.Equal(JobState.Succeeded, waiting.State);
        Assert.Equal(0, engine.GetLaneSnapshot("q").QuotaRemaining);
    }

    [Fact]
    public async Task QuotaCountingRequests_IgnoresCost()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("q", new LaneOptions { PeriodMargin = TimeSpan.Zero, Quota = new QuotaOptions { Limit = 2, RefillEvery = TimeSpan.FromHours(1) } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 500, 500);

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(0, engine.GetLaneSnapshot("q").QuotaRemaining);
    }
}
