using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Resilience;

/// <summary>What a service states (Retry-After, remaining and reset, its limit) does to a lane, adaptive or not.</summary>
public sealed class AdaptiveHintTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);

    [Fact]
    public async Task RetryAfterHint_PausesTheWholeLane()
    {
        await using PacerEngine engine = AdaptiveLaneTests.CreateEngine(_time, ceiling: 100);
        var options = new JobOptions { Lane = "api", Retry = RetryPolicy.None };
        await engine.RunAsync(context =>
        {
            context.ReportHints(new OutcomeHints { RetryAfter = TimeSpan.FromSeconds(5) });
            return ValueTask.FromResult(true);
        }, options);

        Task<bool> next = engine.RunAsync(_ => ValueTask.FromResult(true), options);
        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted);
        Assert.NotNull(engine.GetLaneSnapshot("api").PausedUntil);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(await next);
    }

    [Fact]
    public async Task NoneRemainingHint_PausesUntilTheReset_AndStatedLimitLowersTheCeiling()
    {
        await using PacerEngine engine = AdaptiveLaneTests.CreateEngine(_time, ceiling: 100);
        var options = new JobOptions { Lane = "api", Retry = RetryPolicy.None };
        await engine.RunAsync(context =>
        {
            context.ReportHints(new OutcomeHints
            {
                RemainingRequests = 0,
                RequestsResetAt = _time.GetUtcNow().AddSeconds(2),
                RequestLimit = 600,
                LimitWindow = TimeSpan.FromMinutes(1),
            });
            return ValueTask.FromResult(true);
        }, options);

        Assert.Equal(10, engine.GetLaneSnapshot("api").AdaptiveRate);
        Task<bool> next = engine.RunAsync(_ => ValueTask.FromResult(true), options);
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(await next);
    }

    [Theory]
    [InlineData(false, 2000)]
    [InlineData(true, 200)]
    public async Task NoneRemaining_FixedWindowWaitsForTheReset_SteadyRefillForOneRequestsWorth(bool continuous, int pauseMs)
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("plain", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var options = new JobOptions { Lane = "plain", Retry = RetryPolicy.None };
        await engine.RunAsync(context =>
        {
            context.ReportHints(new OutcomeHints
            {
                RemainingRequests = 0,
                RequestsResetAt = _time.GetUtcNow().AddSeconds(2),
                RequestLimit = 10,
                RefillsContinuously = continuous,
            });
            return ValueTask.FromResult(true);
        }, options);

        Task<bool> next = engine.RunAsync(_ => ValueTask.FromResult(true), options);
        _time.Advance(TimeSpan.FromMilliseconds(pauseMs - 1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await next);
    }

    [Theory]
    [InlineData(false, 100)]
    [InlineData(true, 2000)]
    public async Task NoneRemaining_OnALaneThatKeepsItsToldRate_PausesItOnlyAfterARefusal(bool refused, int nextStartMs)
    {
        // 10 a second is the service's true rate: after a success, "none remaining" only says the
        // lane is where its pacing put it, and the next start keeps to the rate.
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("told", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        var options = new JobOptions { Lane = "told", Retry = RetryPolicy.None };
        await engine.RunAsync(context =>
        {
            context.ReportHints(new OutcomeHints { RemainingRequests = 0, RequestsResetAt = _time.GetUtcNow().AddSeconds(2), RateLimited = refused });
            return ValueTask.FromResult(true);
        }, options);

        Task<bool> next = engine.RunAsync(_ => ValueTask.FromResult(true), options);
        _time.Advance(TimeSpan.FromMilliseconds(nextStartMs - 1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await next);
    }

    [Theory]
    [InlineData(false, 2.5)] // a fixed window: 5 left over 2 s paces the lane to 2.5 a second
    [InlineData(true, 10)]   // a steady refill at the stated 600 a minute never runs dry at 10 a second
    public async Task Remaining_PacesAFixedWindowToLast_ButNotASteadilyRefillingOne(bool continuous, double expectedRate)
    {
        await using PacerEngine engine = AdaptiveLaneTests.CreateEngine(_time, ceiling: 100);
        var options = new JobOptions { Lane = "api", Retry = RetryPolicy.None };
        await engine.RunAsync(context =>
        {
            context.ReportHints(new OutcomeHints
            {
                RemainingRequests = 5,
                RequestsResetAt = _time.GetUtcNow().AddSeconds(2),
                RequestLimit = 600,
                LimitWindow = TimeSpan.FromMinutes(1),
                RefillsContinuously = continuous,
            });
            return ValueTask.FromResult(true);
        }, options);

        Assert.Equal(expectedRate, engine.GetLaneSnapshot("api").AdaptiveRate!.Value, precision: 3);
    }

    [Fact]
    public async Task Remaining_LeavesOutAttemptsThatStartedAfterTheAnsweredOne()
    {
        // Three calls start together; the first one's answer says 2 remain, counted when it
        // arrived: the other two, which started after it, spend them, so the lane waits for the reset.
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("plain", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var options = new JobOptions { Lane = "plain", Retry = RetryPolicy.None };
        var answers = new[] { new TaskCompletionSource(), new TaskCompletionSource(), new TaskCompletionSource() };
        int started = 0;
        Task<bool>[] calls = [.. answers.Select(_ => engine.RunAsync(async context =>
        {
            int n = Interlocked.Increment(ref started) - 1;
            await answers[n].Task;
            if (n == 0)
            {
                context.ReportHints(new OutcomeHints { RemainingRequests = 2, RequestsResetAt = _time.GetUtcNow().AddSeconds(2) });
            }

            return true;
        }, options))];
        answers[0].SetResult();
        await calls[0];

        Task<bool> next = engine.RunAsync(_ => ValueTask.FromResult(true), options);
        _time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(await next);
        answers[1].SetResult();
        answers[2].SetResult();
        await Task.WhenAll(calls);
    }

    [Fact]
    public async Task AdaptiveRate_KeepsThePeriodMargin_AsTheToldRateDoes()
    {
        // Told 100 a second with a 20 ms margin; the service states 600 a minute: the lane keeps
        // 10 per 1.02 s, one start every 102 ms.
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("api", new LaneOptions
        {
            Rates = { new RateLimit(100, TimeSpan.FromSeconds(1), Burst: 1) },
            PeriodMargin = TimeSpan.FromMilliseconds(20),
            Adaptive = new AdaptiveOptions(),
        });
        var options = new JobOptions { Lane = "api", Retry = RetryPolicy.None };
        await engine.RunAsync(context =>
        {
            context.ReportHints(new OutcomeHints { RequestLimit = 600, LimitWindow = TimeSpan.FromMinutes(1), RefillsContinuously = true });
            return ValueTask.FromResult(true);
        }, options);

        Task<bool> next = engine.RunAsync(_ => ValueTask.FromResult(true), options);
        _time.Advance(TimeSpan.FromMilliseconds(101));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await next);
    }
}
