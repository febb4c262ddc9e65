namespace Pacer.Server.Api;

/// <summary>How the API shows a lane: its limits and what it is doing now (never its headers).</summary>
internal static class LaneView
{
    /// <summary>Every lane, as the API and the <c>lanes</c> event show them.</summary>
    public static object All(IRequestFormat format, PacerEngine engine) =>
        new { lanes = format.Lanes.Select(l => Of(l, engine.GetLaneSnapshot(l.Name), format.TooManyRequests(l.Name))) };

    public static object Of(ServedLane lane, LaneSnapshot snapshot, long tooManyRequests) => new
    {
        name = lane.Name,
        baseUrl = lane.BaseUrl,
        limits = new
        {
            maxConcurrency = snapshot.MaxConcurrency,
            rates = snapshot.Rates.Select(Rate),
            costRates = snapshot.CostRates.Select(Rate),
        },
        now = new
        {
            queued = snapshot.Queued,
            running = snapshot.Running,
            waitingToRetry = snapshot.WaitingToRetry,
            succeeded = snapshot.Succeeded,
            failed = snapshot.Failed,
            cancelled = snapshot.Cancelled,
            retries = snapshot.Retries,
            tooManyRequests,
            costSpent = snapshot.CostSpent,
            throughputPerSecond = Math.Round(snapshot.Throughput, 3),
            capacityPerSecond = snapshot.Capacity is { } capacity ? Math.Round(capacity, 3) : (double?)null,
            averageLatencyMs = Math.Round(snapshot.AverageLatency.TotalMilliseconds, 1),
            circuit = snapshot.Circuit.ToString().ToLowerInvariant(),
            adaptiveRatePerSecond = snapshot.AdaptiveRate is { } adaptive ? Math.Round(adaptive, 3) : (double?)null,
            adaptivePhase = snapshot.AdaptivePhase?.ToString().ToLowerInvariant(),
            pausedUntil = snapshot.PausedUntil,
            pauseReason = snapshot.Pause?.Reason.ToString(),
            quotaRemaining = snapshot.QuotaRemaining,
            quotaRefillsAt = snapshot.QuotaRefillsAt,
        },
    };

    private static object Rate(RateLimit rate) => new
    {
        permits = rate.Permits,
        periodSeconds = rate.Period.TotalSeconds,
        burst = rate.Burst,
        perMinute = Math.Round(rate.PerSecondRate * 60, 3),
    };
}
