namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>The period an adaptive rate is kept in: permits per 1,000 s keep three decimals of a per-second rate.</summary>
    private static readonly TimeSpan s_adaptivePeriod = TimeSpan.FromSeconds(1000);

    /// <summary>Raised when a lane's circuit changes state, an adaptive lane slows down, or the service pauses a lane. Outside the lock.</summary>
    public event EventHandler<LaneEventArgs>? LaneChanged;

    /// <summary>
    /// Feeds one attempt's outcome to the adaptive rate and circuit of every lane on the job's path:
    /// the one path by which a refusal reaches an adaptive lane, whether the service's answer or the
    /// work's verdict said so. Lane events that result are added to <paramref name="events"/> for
    /// raising after the lock.
    /// </summary>
    private void RecordOutcomeUnsynchronized(Job job, AttemptToken attempt, FailureKind? failure, long now, ref List<LaneEventArgs>? events, ref List<Job>? failedFast)
    {
        for (Lane? lane = job.Lane; lane is not null; lane = lane.Parent)
        {
            if (lane.Adaptive is { } adaptive)
            {
                // The attempt started at job.Timestamp (until it is final); the job's own lane kept
                // how it was sent, by the lane's attempt count then; a lane further up is told what it has now.
                AdaptiveRate.Sent sent = adaptive.SentAs(lane == job.Lane ? attempt.LaneAttempts : -1, job.Timestamp, lane.Running, now);
                bool changed = failure == FailureKind.RateLimited
                    ? adaptive.OnRateLimited(now, sent)
                    : failure is null && adaptive.OnSuccess(now, sent);
                if (changed)
                {
                    ApplyAdaptiveUnsynchronized(lane, now);
                    if (failure == FailureKind.RateLimited)
                    {
                        (events ??= []).Add(LaneEventUnsynchronized(lane, LaneChange.RateDecreased, now));
                    }
                }
            }

            // Rate-limit refusals steer the adaptive rate; they are not the failures a breaker is for.
            if (lane.Circuit is { } circuit && failure != FailureKind.RateLimited && circuit.OnOutcome(failure is not null, now) is not null)
            {
                (events ??= []).Add(LaneEventUnsynchronized(lane, LaneChange.Circuit, now));
                if (circuit.State == CircuitState.Open && circuit.FailFastWhenOpen)
                {
                    FailQueuedUnsynchronized(lane, now, ref failedFast);
                }
            }
        }
    }

    /// <summary>Sets the lane's first rate (and, if adapting, its concurrency) to the adaptive rate in force.</summary>
    private void ApplyAdaptiveUnsynchronized(Lane lane, long now)
    {
        AdaptiveRate adaptive = lane.Adaptive!;

        // No burst: the lane has no evidence the service grants one. At its ceiling (a told or stated
        // limit) the lane keeps the period margin, scaled with the period so that it costs the same
        // share of the rate; under it, the lane keeps its own margin under what it learned.
        double rate = adaptive.Rate(now);
        long permits = Math.Max(1, (long)Math.Round(rate * 1000));
        TimeSpan margin = rate >= adaptive.Ceiling ? lane.Options.PeriodMargin * (s_adaptivePeriod / lane.Options.Rates[0].Period) : TimeSpan.Zero;
        lane.Rates[0].Reconfigure(new RateLimit(permits, s_adaptivePeriod, 1), TimestampFrequency, now, margin);
        if (adaptive.Concurrency is { } concurrency)
        {
            lane.MaxConcurrency = concurrency;
        }

        adaptive.Applied();
    }

    /// <summary>Fails every queued job of <paramref name="scope"/>'s subtree: its circuit is open and fails fast.</summary>
    private void FailQueuedUnsynchronized(Lane scope, long now, ref List<Job>? failed)
    {
        foreach (Lane lane in scope.Subtree)
        {
            while (lane.Queue.Peek(_agingTicks) is { } job)
            {
                lane.Queue.RemovePeeked(job);
                FailFastUnsynchronized(job, scope, now);
                (failed ??= []).Add(job);
            }
        }
    }

    /// <summary>Fails a queued job: a lane on its path has its circuit open and fails fast.</summary>
    private void FailFastUnsynchronized(Job job, Lane open, long now)
    {
        job.Error = new CircuitOpenException($"Lane '{open.Name}': the circuit is open and the lane fails fast.");
        FinishUnsynchronized(job, JobState.Failed, now);
    }

    /// <summary>The first lane on the path whose circuit is open and fails fast, or null.</summary>
    private static Lane? FailingFastUnsynchronized(Lane lane, long now)
    {
        for (Lane? l = lane; l is not null; l = l.Parent)
        {
            if (l.Circuit is { State: CircuitState.Open, FailFastWhenOpen: true } circuit && now < circuit.OpenUntil)
            {
                return l;
            }
        }

        return null;
    }

    private static LaneEventArgs LaneEventUnsynchronized(Lane lane, LaneChange change, long now) =>
        new(lane.Name, change, lane.Circuit?.State ?? CircuitState.Closed, lane.Adaptive?.Rate(now), lane.PausedUntil > now ? lane.Pause : null, lane.Shared?.Problem);

    private void RaiseLaneEvents(List<LaneEventArgs>? events)
    {
        if (events is null || LaneChanged is not { } handler)
        {
            return;
        }

        foreach (LaneEventArgs e in events)
        {
            handler(this, e);
        }
    }
}
