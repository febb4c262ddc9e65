namespace Pacer;

/// <summary>
/// The limits a shared lane keeps alone while its store cannot be reached
/// (<see cref="LaneOptions.SharedStateDownShare"/>): each rate and cost rate at the share (its period
/// lengthened, so no permit is rounded; its burst cut to the share, at least 1) and the concurrency
/// cut to the share (at least 1), from full buckets. Guarded by the engine lock.
/// </summary>
internal sealed class LocalShare
{
    public LocalShare(LaneOptions options, double share, PacerEngine engine, long now)
    {
        Rates = [.. options.Rates.Select(r => new RateGate(Scale(r, share), engine.TimestampFrequency, now, options.PeriodMargin))];
        CostRates = [.. options.CostRates.Select(r => new RateGate(Scale(r, share), engine.TimestampFrequency, now, options.PeriodMargin))];
        MaxConcurrency = options.MaxConcurrency is { } max ? Math.Max(1, (int)Math.Floor(max * share)) : int.MaxValue;
    }

    public RateGate[] Rates { get; }

    public RateGate[] CostRates { get; }

    /// <summary>The most jobs of the lane running at once in this process meanwhile.</summary>
    public int MaxConcurrency { get; }

    /// <summary><paramref name="limit"/> at <paramref name="share"/> of its rate and burst.</summary>
    public static RateLimit Scale(RateLimit limit, double share)
    {
        double ticks = Math.Ceiling(limit.Period.Ticks / share);
        TimeSpan period = ticks >= TimeSpan.MaxValue.Ticks / 4 ? TimeSpan.FromTicks(TimeSpan.MaxValue.Ticks / 4) : TimeSpan.FromTicks((long)ticks);
        return new RateLimit(limit.Permits, period, Math.Max(1, (long)Math.Floor(limit.Burst * share)));
    }
}
