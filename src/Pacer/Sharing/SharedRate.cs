namespace Pacer;

/// <summary>
/// One request rate of a shared lane as the store keeps it: <paramref name="Permits"/> starts per
/// <paramref name="PeriodMicroseconds"/> with bursts of <paramref name="Burst"/>, in whole
/// microseconds (the lane's period and margin, rounded up).
/// </summary>
/// <param name="Permits">Starts per period; at least 1.</param>
/// <param name="PeriodMicroseconds">The period, margin included; at least 1.</param>
/// <param name="Burst">Starts allowed at once after an idle spell; at least 1.</param>
public readonly record struct SharedRate(long Permits, long PeriodMicroseconds, long Burst)
{
    /// <summary>The rate of <paramref name="limit"/> kept over its period lengthened by <paramref name="margin"/>.</summary>
    public static SharedRate Of(RateLimit limit, TimeSpan margin)
    {
        ArgumentNullException.ThrowIfNull(limit);
        long ticks = (limit.Period + margin).Ticks;
        long micros = (ticks + TimeSpan.TicksPerMicrosecond - 1) / TimeSpan.TicksPerMicrosecond;
        return new SharedRate(limit.Permits, Math.Max(1, micros), limit.Burst);
    }
}
