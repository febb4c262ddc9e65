namespace Pacer;

/// <summary>
/// The pause a service's hints ask of a lane, before the lane's bound: a Retry-After, or nothing
/// remaining (requests or tokens) until a reset. The longest of several wins; the lane's
/// <see cref="LaneOptions.MaxPause"/> caps it. A pure rule: the engine applies what it decides.
/// </summary>
/// <param name="Reason">What asked for the pause.</param>
/// <param name="Requested">How long the hint asks the lane to wait, before the lane's bound.</param>
/// <param name="RefillsOne">The wait is until one request refills (a steadily refilling allowance), not until the reset.</param>
internal readonly record struct PauseRequest(PauseReason Reason, TimeSpan Requested, bool RefillsOne)
{
    /// <summary>
    /// The pause <paramref name="hints"/> ask of <paramref name="lane"/> (default: none): a
    /// retry-after (on an adaptive lane, a short one on a refusal delays only the refused request:
    /// see <see cref="DelaysOnlyItsRequest"/>); no requests (or tokens) remaining until the reset,
    /// unless the lane keeps a told rate of its own (see <see cref="KeepsItsOwnPace"/>).
    /// </summary>
    /// <param name="lane">The lane that ran the job.</param>
    /// <param name="hints">What the service said.</param>
    /// <param name="remainingRequests">The requests the service says remain, less the lane's attempts that started after the one answered.</param>
    /// <param name="utcNow">Now.</param>
    public static PauseRequest Of(Lane lane, OutcomeHints hints, long? remainingRequests, DateTimeOffset utcNow)
    {
        TimeSpan bound = lane.Options.MaxPause;
        PauseRequest pause = default;
        if (hints.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero && !DelaysOnlyItsRequest(lane, hints, retryAfter))
        {
            pause = pause.Longer(new PauseRequest(PauseReason.RetryAfter, retryAfter, RefillsOne: false), bound);
        }

        if (remainingRequests <= 0 && hints.RequestsResetAt is { } requestsReset && requestsReset > utcNow
            && !KeepsItsOwnPace(lane, hints, costs: false))
        {
            // A steadily refilling allowance frees one request long before it is full again.
            TimeSpan wait = requestsReset - utcNow;
            bool refillsOne = hints.RefillsContinuously && hints.RequestLimit is > 0;
            if (refillsOne)
            {
                wait /= hints.RequestLimit!.Value;
            }

            pause = pause.Longer(new PauseRequest(PauseReason.NoRequestsRemaining, wait, refillsOne), bound);
        }

        if (hints.RemainingTokens <= 0 && hints.TokensResetAt is { } tokensReset && tokensReset > utcNow
            && !KeepsItsOwnPace(lane, hints, costs: true))
        {
            pause = pause.Longer(new PauseRequest(PauseReason.NoTokensRemaining, tokensReset - utcNow, RefillsOne: false), bound);
        }

        return pause;
    }

    /// <summary>The pause taken: what was asked, cut to <paramref name="maxPause"/>.</summary>
    public TimeSpan Duration(TimeSpan maxPause) => Requested < maxPause ? Requested : maxPause;

    /// <summary>This request or <paramref name="other"/>, whichever pauses longer within the bound (this one on a tie).</summary>
    public PauseRequest Longer(PauseRequest other, TimeSpan maxPause) =>
        other.Duration(maxPause) > Duration(maxPause) ? other : this;

    /// <summary>The words of <see cref="LanePause.Description"/>, with the cap when <paramref name="duration"/> is shorter than asked.</summary>
    public string Describe(TimeSpan duration)
    {
        string asked = Reason switch
        {
            PauseReason.RetryAfter => "Retry-After ",
            PauseReason.NoRequestsRemaining when RefillsOne => "no requests remaining until one refills in ",
            PauseReason.NoRequestsRemaining => "no requests remaining until the reset in ",
            _ => "no tokens remaining until the reset in ",
        } + DurationText.Format(Requested);
        return Requested > duration ? asked + ", capped at " + DurationText.Format(duration) : asked;
    }

    /// <summary>
    /// Whether a refusal's Retry-After asks only the refused request to wait: on an adaptive lane,
    /// one no longer than <see cref="AdaptiveOptions.LanePauseThreshold"/>. nginx's <c>limit_req</c>
    /// answers every refusal with "Retry-After: 1"; a lane that stopped for a second on each would
    /// lose a second each time, while its own rate already follows the refusals. The refused job
    /// still waits that long for its retry.
    /// </summary>
    private static bool DelaysOnlyItsRequest(Lane lane, OutcomeHints hints, TimeSpan retryAfter) =>
        hints.RateLimited && lane.Options.Adaptive is { } adaptive && retryAfter <= adaptive.LanePauseThreshold;

    /// <summary>
    /// Whether nothing remaining, after a success, is only where the lane's own pacing puts it: the
    /// lane (or an ancestor) keeps a told request rate (or cost rate, for tokens) and is not
    /// adaptive. Paced at a service's true rate, a lane uses up each window exactly as it refills,
    /// so "none remaining" comes with nearly every window, and pausing until a reset given in
    /// whole seconds would halve a per-second rate. A refusal still pauses it; a lane that paces by
    /// hints alone, or adapts, pauses too.
    /// </summary>
    private static bool KeepsItsOwnPace(Lane lane, OutcomeHints hints, bool costs)
    {
        if (hints.RateLimited || lane.Adaptive is not null)
        {
            return false;
        }

        for (Lane? l = lane; l is not null; l = l.Parent)
        {
            if ((costs ? l.CostRates : l.Rates).Length > 0)
            {
                return true;
            }
        }

        return false;
    }
}
