namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>
    /// Applies a service's hints to the lane that ran the job. Hints win over the engine's guesses:
    /// a retry-after pauses the lane until then; no requests (or tokens) remaining pauses it until
    /// the reset, unless the lane keeps a told rate of its own (see <see cref="KeepsItsOwnPace"/>).
    /// On an adaptive lane, a rate-limit refusal lowers the rate, a stated limit lowers
    /// the ceiling, and what remains until a fixed window's reset paces the lane to last until then.
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
            long pauseUntil = long.MinValue;
            if (hints.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
            {
                pauseUntil = now + ToTimestampTicks(retryAfter);
            }

            if (remainingRequests <= 0 && hints.RequestsResetAt is { } requestsReset && requestsReset > utcNow
                && !KeepsItsOwnPace(lane, hints, costs: false))
            {
                // A steadily refilling allowance frees one request long before it is full again.
                TimeSpan wait = requestsReset - utcNow;
                if (hints.RefillsContinuously && hints.RequestLimit is > 0 and { } limit)
                {
                    wait /= limit;
                }

                pauseUntil = Math.Max(pauseUntil, now + ToTimestampTicks(wait));
            }

            if (hints.RemainingTokens <= 0 && hints.TokensResetAt is { } tokensReset && tokensReset > utcNow
                && !KeepsItsOwnPace(lane, hints, costs: true))
            {
                pauseUntil = Math.Max(pauseUntil, now + ToTimestampTicks(tokensReset - utcNow));
            }

            if (pauseUntil > lane.PausedUntil)
            {
                lane.PausedUntil = pauseUntil;
                (events ??= []).Add(LaneEventUnsynchronized(lane, LaneChange.Paused, now));
            }

            if (lane.Adaptive is { } adaptive)
            {
                bool changed = false;
                if (hints.RateLimited && adaptive.OnRateLimited(now))
                {
                    changed = true;
                    (events ??= []).Add(LaneEventUnsynchronized(lane, LaneChange.RateDecreased, now));
                }

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
