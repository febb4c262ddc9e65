namespace Pacer.Tests.Lanes;

public class RateLimitTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static Task<int>[] SubmitAll(PacerEngine engine, StartLog log, int count, string lane) =>
        [.. Enumerable.Range(0, count).Select(i => engine.RunAsync(log.Instant(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), new JobOptions { Lane = lane }))];

    [Fact]
    public async Task RateBoundLane_RunsAtFullRate_EachStartExactlyWhenAllowed()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(500) } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 200, "r");
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Enumerable.Range(0, 200).Select(k => Ms.Of(k * 2)), log.Times);
    }

    [Theory]
    [InlineData(10_000, 1)]
    [InlineData(10_000, 50)]
    [InlineData(25_000, 1)]
    public async Task TenThousandPerSecondAndUp_RunsAtFullRate_AndNeverMoreInAnyWindow(int perSecond, int burst)
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(perSecond, burst) } });
        var log = new StartLog(_time);
        int count = perSecond / 5;

        Task<int>[] jobs = SubmitAll(engine, log, count, "r");
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        TimeSpan interval = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
        Assert.Equal(Enumerable.Range(0, count).Select(k => TimeSpan.Zero + (interval * Math.Max(0, k - burst + 1))), log.Times);
        TimeSpan[] times = [.. log.Times];
        foreach (TimeSpan window in new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100) })
        {
            int most = Enumerable.Range(0, times.Length).Max(i => times.Skip(i).TakeWhile(t => t < times[i] + window).Count());
            Assert.True(most <= (perSecond * window.TotalSeconds) + burst, $"{most} starts in {window.TotalMilliseconds} ms at {perSecond}/s burst {burst}");
        }
    }

    [Fact]
    public async Task Burst_StartsAtOnce_ThenTheSteadyRate()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10, burst: 5) } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 8, "r");
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(0, 0, 0, 0, 0, 100, 200, 300), log.Times);
    }

    [Fact]
    public async Task Burst_AfterLongIdleSpell_IsStillOnlyTheConfiguredBurst()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10, burst: 3) } });
        _time.AdvanceStepwise(TimeSpan.FromMinutes(5));
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 5, "r");
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(0, 0, 0, 100, 200), log.Times);
    }

    [Fact]
    public async Task IntervalOfNoWholeTicks_StartsAtTheFirstTickGcraAllows()
    {
        // 3 per second: one start every 3,333,333⅓ ticks. With a burst of 2 the bucket never
        // overflows, so the n-th start after the burst lands on ceil((n − 1) × 10⁷ ÷ 3) ticks.
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(3, burst: 2) } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 32, "r");
        _time.AdvanceStepwise(TimeSpan.FromSeconds(11));

        await Task.WhenAll(jobs).DefaultTimeout();
        long[] expected = [0, .. Enumerable.Range(1, 31).Select(n => (((n - 1) * TimeSpan.TicksPerSecond) + 2) / 3)];
        Assert.Equal(expected, log.Times.Select(t => t.Ticks));
    }

    [Fact]
    public async Task SeveralRates_AllHoldAtOnce()
    {
        // 10/s allows a start every 100 ms; 60/min with a burst of 6 allows six, then one a second.
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10), RateLimit.PerMinute(60, burst: 6) } });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 10, "r");
        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(0, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000), log.Times);
    }

    [Fact]
    public async Task PeriodMargin_SpacesStartsAsIfEachPeriodWereThatMuchLonger()
    {
        // 10 per second with a 20 ms margin is kept as 10 per 1.02 s: a start every 102 ms, so any
        // window of 1.02 s holds at most 10 starts, and a delivery up to 20 ms late cannot crowd one.
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { Rates = { RateLimit.PerSecond(10, burst: 2) }, PeriodMargin = TimeSpan.FromMilliseconds(20) });
        var log = new StartLog(_time);

        Task<int>[] jobs = SubmitAll(engine, log, 6, "r");
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(jobs).DefaultTimeout();
        Assert.Equal(Ms.Of(0, 0, 102, 204, 306, 408), log.Times);
        Assert.Equal(RateLimit.PerSecond(10, burst: 2), Assert.Single(engine.GetLaneSnapshot("r").Rates));
    }

    [Fact]
    public async Task BlockedLane_HoldsJobsQueued_UntilTheRateAllows()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerMinute(2) } });
        var log = new StartLog(_time);

        JobHandle<int> first = engine.Submit(log.Instant("a"), new JobOptions { Lane = "r" });
        JobHandle<int> second = engine.Submit(log.Instant("b"), new JobOptions { Lane = "r" });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));

        Assert.Equal(JobState.Succeeded, first.State);
        Assert.Equal(JobState.Queued, second.State);
        _time.AdvanceStepwise(TimeSpan.FromTicks(1));
        Assert.Equal(JobState.Succeeded, second.State);
        Assert.Equal(TimeSpan.FromSeconds(30), log.TimeOf("b"));
    }

    [Fact]
    public async Task ConcurrencyLimit_StartsTheNextJobWhenOneEnds()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        ManualWork<int>[] works = [new(), new(), new()];
        JobHandle<int>[] jobs = [.. works.Select(w => engine.Submit(w.Work, new JobOptions { Lane = "c" }))];

        Assert.Equal([JobState.Running, JobState.Running, JobState.Queued], jobs.Select(j => j.State));
        works[1].Complete(1);
        Assert.Equal([JobState.Running, JobState.Succeeded, JobState.Running], jobs.Select(j => j.State));
        Assert.Equal(2, engine.GetLaneSnapshot("c").Running);
    }
}
