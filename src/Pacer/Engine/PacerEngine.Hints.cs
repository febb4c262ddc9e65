namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>
    /// Applies a service's hints to the lane that ran the job. Hints win over the engine's guesses:
    /// a retry-after pauses the lane until then (on an adaptive lane, a short one on a refusal delays
    /// only the refused request: see <see cref="DelaysOnlyItsRequest"/>); no requests (or tokens) remaining pauses it until
    /// the reset, unless the lane keeps a told rate of its own (see <see cref="KeepsItsOwnPace"/>);
    /// never for longer than the lane's <see cref="LaneOptions.MaxPause"/>.
    /// On an adaptive lane, a stated limit lowers the ceiling, and what remains until a fixed window's reset paces the lane to last until then.
    /// </summary>
    /// <remarks>
    /// A service counts a request when it arrives, so the requests remaining it states leave out
    /// the lane's attempts that started after the one answered: those are taken off first.
    /// </remarks>
    internal void ApplyHints(Job job, OutcomeHints hints)
    {
        Lane lane = job.Lane;
        List<LaneEventArgs>? events = null;
        lock (_lock)
        {
            long now = Now;
            long startedSince = job.Token is { } attempt ? lane.Stats.Attempts - attempt.LaneAttempts : 0;
            long? remainingRequests = hints.RemainingRequests - startedSince;
            DateTimeOffset utcNow = TimeProvider.GetUtcNow();
            PauseRequest pause = default;
            if (hints.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero && !DelaysOnlyItsRequest(lane, hints, retryAfter))
            {
                pause = pause.Longer(new PauseRequest(PauseReason.RetryAfter, retryAfter, RefillsOne: false), lane.Options.MaxPause);
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

                pause = pause.Longer(new PauseRequest(PauseReason.NoRequestsRemaining, wait, refillsOne), lane.Options.MaxPause);
            }

            if (hints.RemainingTokens <= 0 && hints.TokensResetAt is { } tokensReset && tokensReset > utcNow
                && !KeepsItsOwnPace(lane, hints, costs: true))
            {
                TimeSpan wait = tokensReset - utcNow;
                pause = pause.Longer(new PauseRequest(PauseReason.NoTokensRemaining, wait, RefillsOne: false), lane.Options.MaxPause);
            }

            TimeSpan duration = pause.Duration(lane.Options.MaxPause);
            long pauseUntil = duration > TimeSpan.Zero ? now + ToTimestampTicks(duration) : long.MinValue;
            if (pauseUntil > lane.PausedUntil)
            {
                lane.PausedUntil = pauseUntil;
                lane.Pause = new LanePause(pause.Reason, utcNow + ToTimeSpan(pauseUntil - now), pause.Requested, duration, pause.Describe(duration));
                (events ??= []).Add(LaneEventUnsynchronized(lane, LaneChange.Paused, now));
            }

            if (lane.Adaptive is { } adaptive)
            {
                // A refusal reaches the adaptive rate as the attempt's outcome (RecordOutcomeUnsynchronized), not here.
                bool changed = false;
                if (hints.RequestLimit is > 0 and { } limit)
                {
                    double perSecond = limit / (hints.LimitWindow ?? TimeSpan.FromMinutes(1)).TotalSeconds;
                    if (adaptive.OnStatedLimit(perSecond, lane.Options.Rates[0].PerSecondRate, now))
                    {
                        changed = true;
                        (events ??= []).Add(LaneEventUnsynchronized(lane, LaneChange.CeilingLowered, now));
                    }
                }

                // A steadily refilling allowance with a stated limit never runs dry at that limit's
                // rate, which already caps the lane; pacing what remains until a full refill would
                // slow it to a crawl. A fixed window (or an unstated refill) is paced to last.
                if (remainingRequests is > 0 and { } remaining && hints.RequestsResetAt is { } reset && reset > utcNow
                    && !(hints.RefillsContinuously && hints.RequestLimit is > 0))
                {
                    changed |= adaptive.OnRemaining(remaining, now + ToTimestampTicks(reset - utcNow), now);
                }

                if (changed)
                {
                    ApplyAdaptiveUnsynchronized(lane, now);
                }
            }
        }

        RaiseLaneEvents(events);
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

    /// <summary>A pause one hint asks for, before the lane's bound; the longest of several wins.</summary>
    /// <param name="Reason">What asked for the pause.</param>
    /// <param name="Requested">How long the hint asks the lane to wait, before the lane's bound.</param>
    /// <param name="RefillsOne">The wait is until one request refills (a steadily refilling allowance), not until the reset.</param>
    private readonly record struct PauseRequest(PauseReason Reason, TimeSpan Requested, bool RefillsOne)
    {
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
    }
}
