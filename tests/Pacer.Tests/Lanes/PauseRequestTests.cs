namespace Pacer.Tests.Lanes;

/// <summary>The pause a service's hints ask of a lane (<see cref="PauseRequest.Of"/>), as a rule of its own.</summary>
public sealed class PauseRequestTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<PauseRequest> PauseOfAsync(LaneOptions options, OutcomeHints hints, long? remaining = null)
    {
        await using var engine = new PacerEngine();
        engine.AddLane("svc", options);
        Lane lane = engine.ResolveLane(new JobOptions { Lane = "svc" });
        return PauseRequest.Of(lane, hints, remaining ?? hints.RemainingRequests, s_now);
    }

    [Fact]
    public async Task TheLongestAskWins_AndTheLanesBoundCutsIt()
    {
        var hints = new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(2), RemainingTokens = 0, TokensResetAt = s_now.AddSeconds(30) };

        PauseRequest pause = await PauseOfAsync(new LaneOptions { MaxPause = TimeSpan.FromSeconds(10) }, hints);

        Assert.Equal((PauseReason.NoTokensRemaining, TimeSpan.FromSeconds(30)), (pause.Reason, pause.Requested));
        Assert.Equal(TimeSpan.FromSeconds(10), pause.Duration(TimeSpan.FromSeconds(10)));
        Assert.Equal("no tokens remaining until the reset in 30s, capped at 10s", pause.Describe(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AShortRetryAfterOnAnAdaptiveLane_DelaysOnlyItsRequest()
    {
        var adaptive = new LaneOptions { Rates = { RateLimit.PerSecond(20) }, Adaptive = new AdaptiveOptions() };
        var refusal = new OutcomeHints { RateLimited = true, RetryAfter = TimeSpan.FromSeconds(1) };

        Assert.Equal(TimeSpan.Zero, (await PauseOfAsync(adaptive, refusal)).Requested);
        Assert.Equal(TimeSpan.FromSeconds(1), (await PauseOfAsync(new LaneOptions(), refusal)).Requested);
    }

    [Fact]
    public async Task NothingRemainingAfterASuccess_DoesNotPauseALaneThatKeepsItsOwnRate_ButDoesOneWithout()
    {
        var dry = new OutcomeHints { RemainingRequests = 0, RequestsResetAt = s_now.AddSeconds(1) };

        Assert.Equal(TimeSpan.Zero, (await PauseOfAsync(new LaneOptions { Rates = { RateLimit.PerSecond(10) } }, dry)).Requested);
        Assert.Equal(TimeSpan.FromSeconds(1), (await PauseOfAsync(new LaneOptions(), dry)).Requested);
    }

    [Fact]
    public async Task ASteadilyRefillingAllowance_WaitsForOneRequest_NotTheWholeReset()
    {
        var hints = new OutcomeHints { RemainingRequests = 0, RequestsResetAt = s_now.AddSeconds(60), RequestLimit = 60, RefillsContinuously = true };

        PauseRequest pause = await PauseOfAsync(new LaneOptions(), hints);

        Assert.Equal((PauseReason.NoRequestsRemaining, TimeSpan.FromSeconds(1), true), (pause.Reason, pause.Requested, pause.RefillsOne));
    }
}
