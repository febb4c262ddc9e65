namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>
    /// Applies a service's hints to the lane that ran the job. Hints win over the engine's guesses:
    /// the lane pauses as <see cref="PauseRequest.Of"/> decides (a retry-after, or nothing remaining
    /// until a reset), never for longer than the lane's <see cref="LaneOptions.MaxPause"/>.
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
            PauseRequest pause = PauseRequest.Of(lane, hints, remainingRequests, utcNow);
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
}
