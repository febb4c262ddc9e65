namespace Pacer.Bench.Targets;

/// <summary>The limits a workload asks for: a concurrency cap and, optionally, a start rate.</summary>
/// <param name="Concurrency">Most jobs running at once.</param>
/// <param name="StartsPerSecond">Most job starts per second, or null for no rate limit.</param>
internal sealed record Limits(int Concurrency, int? StartsPerSecond = null)
{
    /// <summary>
    /// The token-bucket replenishment period used by the timer-refilled baselines: the shortest
    /// period their timer keeps up with (about 10 ms), as in the WORKLOADS table (5 tokens per 10 ms).
    /// </summary>
    public static TimeSpan BucketPeriod { get; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Tokens per <see cref="BucketPeriod"/> that give <see cref="StartsPerSecond"/>.</summary>
    public int TokensPerBucketPeriod =>
        StartsPerSecond is { } rate
            ? Math.Max(1, (int)Math.Round(rate * BucketPeriod.TotalSeconds))
            : throw new InvalidOperationException("No start rate was asked for.");
}
