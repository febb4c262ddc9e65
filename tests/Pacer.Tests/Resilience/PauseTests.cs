using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Resilience;

/// <summary>Pauses from a service's hints: bounded by <see cref="LaneOptions.MaxPause"/>, and reported with their reason.</summary>
public sealed class PauseTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly JobOptions s_once = new() { Lane = "api", Retry = RetryPolicy.None };
    private readonly FakeTimeProvider _time = new(s_start);

    [Fact]
    public async Task HugeRetryAfter_PausesTheLaneForExactlyTheDefaultBound_ThenItRunsAgain()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero });
        await Answer(engine, new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(999_999) });
        Task<int> next = engine.RunAsync(Jobs.Instant, s_once);

        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted);
        Assert.Equal(s_start.AddHours(1), engine.GetLaneSnapshot("api").PausedUntil);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(0, await next.DefaultTimeout());
        Assert.Null(engine.GetLaneSnapshot("api").PausedUntil);
    }

    [Fact]
    public async Task HugeResetWithNoRequestsRemaining_AfterASuccess_PausesForExactlyTheDefaultBound()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero });
        await Answer(engine, new OutcomeHints { RemainingRequests = 0, RequestsResetAt = s_start.AddHours(999_999) });
        Task<int> next = engine.RunAsync(Jobs.Instant, s_once);

        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(0, await next.DefaultTimeout());
    }

    [Fact]
    public async Task HugeTokenReset_PausesForExactlyTheConfiguredBound()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxPause = TimeSpan.FromMinutes(5) });
        await Answer(engine, new OutcomeHints { RemainingTokens = 0, TokensResetAt = s_start.AddDays(30) });
        Task<int> next = engine.RunAsync(Jobs.Instant, s_once);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(0, await next.DefaultTimeout());
    }

    [Fact]
    public async Task RetryAfterPastMaxRetryAfter_TheJobStillGivesUp_WhileTheLanePausesForTheBound()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var options = new JobOptions { Lane = "api", Retry = new RetryPolicy { MaxAttempts = 5 } };
        TimeSpan retryAfter = TimeSpan.FromSeconds(999_999);

        Task<int> refused = engine.RunAsync<int>(
            context =>
            {
                context.ReportHints(new OutcomeHints { RateLimited = true, RetryAfter = retryAfter });
                throw new RetryableException("429", retryAfter, isRateLimit: true);
            },
            options);

        await Assert.ThrowsAsync<RetryableException>(() => refused.DefaultTimeout());
        Assert.Equal(s_start.AddHours(1), engine.GetLaneSnapshot("api").PausedUntil);
    }

    [Fact]
    public async Task ZeroMaxPause_HintsNeverPauseTheLane()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxPause = TimeSpan.Zero });
        await Answer(engine, new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(30) });

        Assert.Equal(0, await engine.RunAsync(Jobs.Instant, s_once).DefaultTimeout());
        Assert.Null(engine.GetLaneSnapshot("api").Pause);
    }

    [Fact]
    public async Task Snapshot_CappedPause_ShowsUntilWhenWhyAndWhatWasAskedFor()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero });
        await Answer(engine, new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(999_999) });

        LanePause pause = Assert.IsType<LanePause>(engine.GetLaneSnapshot("api").Pause);

        Assert.Equal(PauseReason.RetryAfter, pause.Reason);
        Assert.Equal(s_start.AddHours(1), pause.Until);
        Assert.Equal(TimeSpan.FromSeconds(999_999), pause.Requested);
        Assert.Equal(TimeSpan.FromHours(1), pause.Duration);
        Assert.True(pause.Capped);
        Assert.Equal("Retry-After 11d13h46m39s, capped at 1h", pause.Description);
    }

    [Fact]
    public async Task Snapshot_AfterThePauseEnds_ShowsNoPause()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero });
        await Answer(engine, new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(30) });

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Null(engine.GetLaneSnapshot("api").Pause);
    }

    private static OutcomeHints Hints(string name) => name switch
    {
        "retry-after" => new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(30) },
        "requests" => new OutcomeHints { RemainingRequests = 0, RequestsResetAt = s_start.AddSeconds(90) },
        "requests refilling" => new OutcomeHints { RemainingRequests = 0, RequestsResetAt = s_start.AddMinutes(1), RequestLimit = 600, RefillsContinuously = true },
        "tokens" => new OutcomeHints { RemainingTokens = 0, TokensResetAt = s_start.AddSeconds(1.5) },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("retry-after", PauseReason.RetryAfter, "Retry-After 30s")]
    [InlineData("requests", PauseReason.NoRequestsRemaining, "no requests remaining until the reset in 1m30s")]
    [InlineData("requests refilling", PauseReason.NoRequestsRemaining, "no requests remaining until one refills in 100ms")]
    [InlineData("tokens", PauseReason.NoTokensRemaining, "no tokens remaining until the reset in 1.5s")]
    public async Task PausedEvent_CarriesTheReasonInWords_Uncapped(string hints, PauseReason reason, string description)
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero });
        var paused = new List<LaneEventArgs>();
        engine.LaneChanged += (_, e) => paused.Add(e);

        await Answer(engine, Hints(hints));

        LaneEventArgs e = Assert.Single(paused);
        Assert.Equal(LaneChange.Paused, e.Change);
        LanePause pause = Assert.IsType<LanePause>(e.Pause);
        Assert.Equal((reason, description, false), (pause.Reason, pause.Description, pause.Capped));
        Assert.Equal(pause.Until, e.PausedUntil);
        Assert.Equal(s_start + pause.Duration, pause.Until);
    }

    [Fact]
    public async Task PausedEvent_CappedReset_SaysFromWhatItWasCapped()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxPause = TimeSpan.FromMinutes(10) });
        LaneEventArgs? paused = null;
        engine.LaneChanged += (_, e) => paused = e;

        await Answer(engine, new OutcomeHints { RemainingRequests = 0, RequestsResetAt = s_start.AddHours(999_999) });

        LanePause pause = Assert.IsType<LanePause>(paused?.Pause);
        Assert.Equal((PauseReason.NoRequestsRemaining, TimeSpan.FromHours(999_999), TimeSpan.FromMinutes(10)), (pause.Reason, pause.Requested, pause.Duration));
        Assert.Equal("no requests remaining until the reset in 41666d15h, capped at 10m", pause.Description);
    }

    [Fact]
    public async Task SeveralHints_TheLongestPauseWithinTheBoundIsReported()
    {
        await using PacerEngine engine = CreateEngine(new LaneOptions { PeriodMargin = TimeSpan.Zero });
        await Answer(engine, new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(2), RemainingTokens = 0, TokensResetAt = s_start.AddSeconds(20) });

        LanePause pause = Assert.IsType<LanePause>(engine.GetLaneSnapshot("api").Pause);

        Assert.Equal((PauseReason.NoTokensRemaining, s_start.AddSeconds(20)), (pause.Reason, pause.Until));
    }

    private PacerEngine CreateEngine(LaneOptions lane)
    {
        InlineContinuations.Enable();
        var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("api", lane);
        return engine;
    }

    /// <summary>Runs one job in lane <c>api</c> whose answer brings <paramref name="hints"/>.</summary>
    private static Task<int> Answer(PacerEngine engine, OutcomeHints hints) =>
        engine.RunAsync(
            context =>
            {
                context.ReportHints(hints);
                return ValueTask.FromResult(0);
            },
            s_once).DefaultTimeout();
}
