namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>Raised when a job becomes final, outside the engine lock, on the thread that finished it.</summary>
    public event EventHandler<JobEventArgs>? JobFinished;

    /// <summary>Raised when a failed attempt is parked for a retry.</summary>
    public event EventHandler<JobEventArgs>? JobRetrying;

    /// <summary>A snapshot of every lane and the recent completions.</summary>
    /// <returns>The snapshot.</returns>
    public EngineSnapshot GetSnapshot()
    {
        lock (_lock)
        {
            long now = Now;
            LaneSnapshot[] lanes = [.. _lanes.Values.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => SnapshotUnsynchronized(l, now))];
            return new EngineSnapshot(TimeProvider.GetUtcNow(), lanes, _recent.ToArray(this));
        }
    }

    /// <summary>A snapshot of one lane.</summary>
    /// <param name="lane">The lane's name.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentException">The lane does not exist.</exception>
    public LaneSnapshot GetLaneSnapshot(string lane)
    {
        lock (_lock)
        {
            return SnapshotUnsynchronized(FindLaneUnsynchronized(lane), Now);
        }
    }

    internal static double? CapacityUnsynchronized(Lane lane) => lane.Capacity(lane.Stats.AverageCost);

    internal T WithLock<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }

    private static LaneSnapshot SnapshotUnsynchronized(Lane lane, long now)
    {
        LaneStats s = lane.Stats;
        double? capacity = CapacityUnsynchronized(lane);
        int remaining = s.Queued + lane.Running + s.WaitingToRetry;
        return new LaneSnapshot
        {
            Name = lane.Name,
            Queued = s.Queued,
            Running = lane.Running,
            WaitingToRetry = s.WaitingToRetry,
            Succeeded = s.Succeeded,
            Failed = s.Failed,
            Cancelled = s.Cancelled,
            Retries = s.Retries,
            Throughput = s.Throughput.PerSecond(now),
            AverageLatency = TimeSpan.FromSeconds(s.LatencySeconds),
            Capacity = capacity,
            Eta = Eta(remaining, capacity),
            MaxConcurrency = lane.MaxConcurrency,
            Rates = [.. lane.Options.Rates],
            CostRates = [.. lane.Options.CostRates],
            CostSpent = s.CostSum,
            // A shared lane's quota is the store's, which this process does not see (but while it runs alone).
            QuotaRemaining = lane.Quota is { } q && lane.Shared is null or { Local: not null } ? Math.Max(0, q.Options.Limit - q.Used) : null,
            QuotaRefillsAt = lane.Shared is null or { Local: not null } ? lane.Quota?.NextRefill : null,
            Circuit = lane.Circuit?.State ?? CircuitState.Closed,
            AdaptiveRate = lane.Adaptive?.Rate(now),
            AdaptiveCeiling = lane.Adaptive?.Ceiling,
            AdaptivePhase = lane.Adaptive?.Phase(now),
            PausedUntil = lane.PausedUntil > now ? lane.Pause?.Until : null,
            Pause = lane.PausedUntil > now ? lane.Pause : null,
            SharedStateProblem = lane.Shared?.Problem,
            SharedStartsExpired = lane.Shared?.Expired ?? 0,
        };
    }

    /// <summary>Remaining jobs over capacity in jobs per second; zero when nothing remains, null when capacity is unknown.</summary>
    internal static TimeSpan? Eta(long remaining, double? capacity) =>
        remaining == 0 ? TimeSpan.Zero
        : capacity is > 0 and { } c ? TimeSpan.FromSeconds(remaining / c)
        : null;

    /// <summary>Reads <paramref name="read"/> under the engine lock, where no job moves: for tests that compare jobs' states with the counts.</summary>
    internal T ReadUnderLock<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }
}
