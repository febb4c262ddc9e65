namespace Pacer;

/// <summary>
/// One rate of a shared lane as the store keeps it: <paramref name="Permits"/> units per
/// <paramref name="PeriodMicroseconds"/> with bursts of <paramref name="Burst"/>, in whole
/// microseconds (the lane's period and margin, rounded up). A request rate counts one unit per
/// start; a cost rate (<paramref name="CountsCost"/>, such as tokens per minute) counts each
/// start's cost.
/// </summary>
/// <param name="Permits">Units per period; at least 1.</param>
/// <param name="PeriodMicroseconds">The period, margin included; at least 1.</param>
/// <param name="Burst">Units allowed at once after an idle spell; at least 1. A start that costs more starts on a full bucket and leaves it in debt.</param>
/// <param name="CountsCost">Whether each start spends its cost (a cost rate) rather than one unit (a request rate).</param>
public readonly record struct SharedRate(long Permits, long PeriodMicroseconds, long Burst, bool CountsCost = false)
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
