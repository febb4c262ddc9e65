using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Resilience;

public sealed class AdaptiveLaneTests
{
    private const double HiddenRate = 10; // per second
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);

    [Fact]
    public async Task StartedAtFiveTimesTheHiddenRate_ReachesNinetyFivePercentOfIt_WithFewRefusals()
    {
        InlineContinuations.Enable();
        var service = new HiddenBucketService(_time, HiddenRate, burst: 10, TimeSpan.FromMilliseconds(200));
        await using PacerEngine engine = CreateEngine(ceiling: 5 * HiddenRate);
        Batch<bool> batch = SubmitCalls(engine, service, 8_000);

        Run(service, TimeSpan.FromMinutes(10));

        double perMinute = service.SuccessesBetween(s_start.AddMinutes(2), s_start.AddMinutes(10)) / 8.0;
        double refusedShare = (double)service.Refused / service.Calls;
        LaneSnapshot lane = engine.GetLaneSnapshot("api");
        Assert.True(perMinute >= 0.95 * HiddenRate * 60, $"{perMinute:0.0} successful calls a minute over minutes 2-10, hidden rate {HiddenRate * 60}/min; calls {service.Calls}, refused {service.Refused}, lane rate {lane.AdaptiveRate}, running {lane.Running}, queued {lane.Queued}, retrying {lane.WaitingToRetry}, pending {service.Pending} now {service.Now}, ok {lane.Succeeded}, failed {lane.Failed}");
        Assert.True(refusedShare <= 0.02, $"{refusedShare:P2} of {service.Calls} calls were answered 429");
        batch.Cancel();
    }

    [Fact]
    public async Task NoBurstService_ToldFiveTimesItsRate_FindsItWithinAFewRefusals()
    {
        // 2 a second and no burst, as nginx's limit_req without one: every start bounds the rate.
        InlineContinuations.Enable();
        var service = new HiddenBucketService(_time, rate: 2, burst: 1, TimeSpan.FromMilliseconds(100)) { RefusalLatency = TimeSpan.Zero };
        await using PacerEngine engine = CreateEngine(ceiling: 10);
        Batch<bool> batch = SubmitCalls(engine, service, 100);

        // The least time: 99 intervals of half a second, and the last answer.
        Run(service, TimeSpan.FromSeconds(1.10 * 49.6));

        LaneSnapshot lane = engine.GetLaneSnapshot("api");
        Assert.True(service.SuccessesBetween(s_start, service.Now.AddTicks(1)) == 100, $"{service.SuccessesBetween(s_start, service.Now.AddTicks(1))} of 100 done in 1.10 times the least time; refused {service.Refused}, lane rate {lane.AdaptiveRate}");
        Assert.True(service.Refused <= 8, $"{service.Refused} of {service.Calls} calls were answered 429");
        batch.Cancel();
    }

    [Fact]
    public async Task ShallowBucketService_ToldFiveTimesItsRate_AtMostTwoPercentRefused()
    {
        // 2 a second with room for 6 at once (nginx's burst 5), told 10: the fit of a bucket to the
        // outcomes finds the rate within a few refusals, and the lane then keeps under it.
        InlineContinuations.Enable();
        var service = new HiddenBucketService(_time, rate: 2, burst: 6, TimeSpan.FromMilliseconds(50)) { RefusalLatency = TimeSpan.Zero };
        await using PacerEngine engine = CreateEngine(ceiling: 10);
        Batch<bool> batch = SubmitCalls(engine, service, 200);

        // The least time: the first 6 at once, then 194 at 2 a second, and the last answer.
        Run(service, TimeSpan.FromSeconds(1.10 * 97.05));

        LaneSnapshot lane = engine.GetLaneSnapshot("api");
        int done = service.SuccessesBetween(s_start, service.Now.AddTicks(1));
        Assert.True(done == 200, $"{done} of 200 done in 1.10 times the least time; refused {service.Refused}, lane rate {lane.AdaptiveRate}");
        Assert.True(service.Refused <= 4, $"{service.Refused} of {service.Calls} calls were answered 429");
        batch.Cancel();
    }

    [Fact]
    public async Task DeepBucketService_ToldFiveTimesItsRate_SpendsItsBurst_AndFewRefusals()
    {
        // 20 a second with a burst of 40: the lane is admitted far above the rate until the bucket empties.
        InlineContinuations.Enable();
        var service = new HiddenBucketService(_time, rate: 20, burst: 41, TimeSpan.FromMilliseconds(50)) { RefusalLatency = TimeSpan.Zero };
        await using PacerEngine engine = CreateEngine(ceiling: 100);
        Batch<bool> batch = SubmitCalls(engine, service, 1_200);

        // The least time: the first 41 at once, then 1,159 at 20 a second.
        Run(service, TimeSpan.FromSeconds(1.10 * 57.95));

        double refusedShare = (double)service.Refused / service.Calls;
        LaneSnapshot lane = engine.GetLaneSnapshot("api");
        Assert.True(service.SuccessesBetween(s_start, service.Now.AddTicks(1)) == 1_200, $"{service.SuccessesBetween(s_start, service.Now.AddTicks(1))} of 1,200 done in 1.10 times the least time; refused {service.Refused}, lane rate {lane.AdaptiveRate}");
        Assert.True(refusedShare <= 0.02, $"{refusedShare:P2} of {service.Calls} calls were answered 429");
        batch.Cancel();
    }

    [Fact]
    public async Task ServiceLimitHalved_LaneFollowsWithinThirtySeconds()
    {
        InlineContinuations.Enable();
        var service = new HiddenBucketService(_time, HiddenRate, burst: 10, TimeSpan.FromMilliseconds(200));
        await using PacerEngine engine = CreateEngine(ceiling: 5 * HiddenRate);
        Batch<bool> batch = SubmitCalls(engine, service, 8_000);

        Run(service, TimeSpan.FromMinutes(5));
        service.Rate = HiddenRate / 2;
        double lowest = double.MaxValue;
        for (int second = 0; second < 30; second++)
        {
            Run(service, TimeSpan.FromSeconds(1));
            lowest = Math.Min(lowest, engine.GetLaneSnapshot("api").AdaptiveRate!.Value);
        }

        Assert.True(lowest <= HiddenRate / 2, $"the lane's rate was at least {lowest:0.00}/s in the 30 s after the service halved its limit to {HiddenRate / 2}/s");
        int callsBefore = service.Calls;
        int refusedBefore = service.Refused;
        Run(service, TimeSpan.FromMinutes(4.5));
        double perMinute = service.SuccessesBetween(s_start.AddMinutes(6), s_start.AddMinutes(10)) / 4.0;
        double refusedShare = (double)(service.Refused - refusedBefore) / (service.Calls - callsBefore);
        Assert.True(perMinute >= 0.95 * HiddenRate / 2 * 60, $"{perMinute:0.0} a minute over minutes 6-10 (limit {HiddenRate / 2 * 60}/min)");
        Assert.True(refusedShare <= 0.02, $"{refusedShare:P2} of calls after the halving were answered 429");
        batch.Cancel();
    }

    [Fact]
    public async Task ServiceLimitDoubled_LaneClimbsToItWithinAMinute_NeverAboveTheCeiling()
    {
        InlineContinuations.Enable();
        var service = new HiddenBucketService(_time, HiddenRate, burst: 10, TimeSpan.FromMilliseconds(200));
        await using PacerEngine engine = CreateEngine(ceiling: 5 * HiddenRate);
        Batch<bool> batch = SubmitCalls(engine, service, 8_000);

        Run(service, TimeSpan.FromMinutes(3));
        service.Rate = 2 * HiddenRate;
        double highest = 0;
        for (int second = 0; second < 120; second++)
        {
            Run(service, TimeSpan.FromSeconds(1));
            highest = Math.Max(highest, engine.GetLaneSnapshot("api").AdaptiveRate!.Value);
        }

        double perSecond = service.SuccessesBetween(s_start.AddMinutes(4), s_start.AddMinutes(5)) / 60.0;
        Assert.True(perSecond >= 0.9 * 2 * HiddenRate, $"{perSecond:0.0} a second from 60 s to 120 s after the service doubled its limit to {2 * HiddenRate}/s");
        Assert.True(highest <= 5 * HiddenRate, $"the lane's rate reached {highest}/s, above its ceiling");
        batch.Cancel();
    }

    [Fact]
    public async Task HiddenConcurrencyCap_LaneLearnsIt_WithoutLoweringItsRate_AndFewRefusals()
    {
        // The rate is no limit here (1,000 a second); 3 at once with 200 ms latency is: 15 a second.
        // A refusal is answered at once, as nginx's limit_conn answers.
        InlineContinuations.Enable();
        var service = new HiddenBucketService(_time, rate: 1000, burst: 1000, TimeSpan.FromMilliseconds(200)) { MaxConcurrent = 3, RefusalLatency = TimeSpan.Zero };
        await using PacerEngine engine = CreateEngine(ceiling: 5 * HiddenRate);
        Batch<bool> batch = SubmitCalls(engine, service, 8_000);

        Run(service, TimeSpan.FromMinutes(3));

        double perSecond = service.SuccessesBetween(s_start.AddMinutes(1), s_start.AddMinutes(3)) / 120.0;
        double refusedShare = (double)service.Refused / service.Calls;
        LaneSnapshot lane = engine.GetLaneSnapshot("api");
        Assert.True(perSecond >= 0.95 * 15, $"{perSecond:0.0} successful calls a second over minutes 1-3; 3 at once allow 15; lane concurrency {lane.MaxConcurrency}, rate {lane.AdaptiveRate}");
        Assert.True(refusedShare <= 0.02, $"{refusedShare:P2} of {service.Calls} calls were answered 429");
        Assert.InRange(lane.MaxConcurrency!.Value, 3, 4);
        Assert.Equal(5 * HiddenRate, lane.AdaptiveRate);
        batch.Cancel();
    }

    [Theory]
    [InlineData(1, false)] // nginx's "Retry-After: 1" on every refusal: the refused job waits, the lane goes on
    [InlineData(5, true)]  // longer than LanePauseThreshold (2 s): the whole allowance, as the service says
    public async Task RetryAfterOnARefusal_PausesAnAdaptiveLane_OnlyWhenLongerThanTheThreshold(int seconds, bool paused)
    {
        await using PacerEngine engine = CreateEngine(ceiling: 100);
        var options = new JobOptions { Lane = "api", Retry = RetryPolicy.None };
        TimeSpan retryAfter = TimeSpan.FromSeconds(seconds);
        await Assert.ThrowsAsync<RetryableException>(() => engine.RunAsync<bool>(context =>
        {
            context.ReportHints(new OutcomeHints { RateLimited = true, RetryAfter = retryAfter });
            throw new RetryableException("429", retryAfter, isRateLimit: true);
        }, options));

        Assert.Equal(paused, engine.GetLaneSnapshot("api").PausedUntil is not null);
        Task<bool> next = engine.RunAsync(_ => ValueTask.FromResult(true), options);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(!paused, next.IsCompleted);
        _time.Advance(retryAfter);
        Assert.True(await next);
    }

    [Fact]
    public async Task Phase_StartsAsStarting_AndRecoversAfterARefusal()
    {
        await using PacerEngine engine = CreateEngine(ceiling: 10);
        var options = new JobOptions { Lane = "api", Retry = RetryPolicy.None };
        Assert.Equal(AdaptivePhase.Starting, engine.GetLaneSnapshot("api").AdaptivePhase);
        await Assert.ThrowsAsync<RetryableException>(() => engine.RunAsync<bool>(_ => throw new RetryableException("429", null, isRateLimit: true), options));

        Assert.Equal(AdaptivePhase.Recovering, engine.GetLaneSnapshot("api").AdaptivePhase);
        for (int i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            await engine.RunAsync(_ => ValueTask.FromResult(true), options);
        }

        Assert.Equal(AdaptivePhase.Holding, engine.GetLaneSnapshot("api").AdaptivePhase);
    }

    [Fact]
    public async Task RateLimitOutcome_DecreasesTheRate_AndGoodOutcomesClimbBackToTheCeilingOnly()
    {
        await using PacerEngine engine = CreateEngine(ceiling: 10);
        bool refuse = true;
        var options = new JobOptions { Lane = "api", Retry = RetryPolicy.None };
        await Assert.ThrowsAsync<RetryableException>(() => engine.RunAsync<bool>(
            _ => refuse ? throw new RetryableException("429", null, isRateLimit: true) : ValueTask.FromResult(true), options));

        Assert.Equal(5, engine.GetLaneSnapshot("api").AdaptiveRate);
        refuse = false;
        for (int i = 0; i < 600; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await engine.RunAsync(_ => ValueTask.FromResult(true), options);
        }

        Assert.Equal(10, engine.GetLaneSnapshot("api").AdaptiveRate);
    }

    private PacerEngine CreateEngine(double ceiling) => CreateEngine(_time, ceiling);

    /// <summary>An engine with one adaptive lane, "api", told <paramref name="ceiling"/> a second, with no margin and room for 100 at once.</summary>
    internal static PacerEngine CreateEngine(TimeProvider time, double ceiling)
    {
        var engine = new PacerEngine(new PacerOptions { TimeProvider = time });
        engine.AddLane("api", new LaneOptions
        {
            PeriodMargin = TimeSpan.Zero,
            MaxConcurrency = 100,
            Rates = { new RateLimit((long)ceiling, TimeSpan.FromSeconds(1), Burst: 1) },
            Adaptive = new AdaptiveOptions(),
        });
        return engine;
    }

    private static Batch<bool> SubmitCalls(PacerEngine engine, HiddenBucketService service, int count)
    {
        Batch<bool> batch = engine.CreateBatch<bool>(new BatchOptions
        {
            JobOptions = new JobOptions { Lane = "api", Retry = new RetryPolicy { MaxAttempts = 100, BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 } },
        });
        for (int i = 0; i < count; i++)
        {
            batch.Add(async _ => await service.CallAsync().ConfigureAwait(false) ? true : throw new RetryableException("429 Too Many Requests", null, isRateLimit: true));
        }

        return batch;
    }

    /// <summary>Advances fake time in 5 ms steps, delivering due answers after each step.</summary>
    private void Run(HiddenBucketService service, TimeSpan span)
    {
        for (int step = 0; step < span.TotalMilliseconds / 5; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(5));
            service.Deliver();
        }
    }
}
