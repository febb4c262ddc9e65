namespace Pacer.Server.Runs;

/// <summary>
/// The least time a lane's limits allow for n requests: for each rate of r per second with burst b,
/// (n − b) / r; for a concurrency of c at an average latency L, n × L / c. The slowest limit decides.
/// </summary>
internal static class LeastTime
{
    /// <summary>Null when the lane has no limit that bounds time.</summary>
    public static double? Seconds(long requests, LaneSnapshot lane)
    {
        double? least = null;
        foreach (RateLimit rate in lane.Rates)
        {
            least = Math.Max(least ?? 0, Math.Max(0, requests - rate.Burst) / rate.PerSecondRate);
        }

        if (lane.MaxConcurrency is > 0 and int concurrency && lane.AverageLatency > TimeSpan.Zero)
        {
            least = Math.Max(least ?? 0, requests * lane.AverageLatency.TotalSeconds / concurrency);
        }

        return least;
    }
}
