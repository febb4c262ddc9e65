namespace Pacer;

/// <summary>
/// The arithmetic a lane state store keeps: the engine's GCRA (<see cref="RateGate"/>) in whole
/// microseconds of the store's clock, each rate's theoretical arrival time kept as its debt ahead
/// of now, scaled by its permits so that no interval is ever rounded. The Lua script of
/// Pacer.Redis and the SQL function of Pacer.Postgres are this method, line for line.
/// </summary>
internal static class SharedStartMath
{
    /// <summary>The debt of a rate <paramref name="elapsed"/> microseconds after it was <paramref name="debt"/>.</summary>
    public static long Decay(long debt, long permits, long elapsed) =>
        debt <= 0 || elapsed >= CeilDiv(debt, permits) ? 0 : debt - (elapsed * permits);

    /// <summary>
    /// Reserves up to <paramref name="count"/> starts no later than <paramref name="horizon"/>,
    /// moving <paramref name="debts"/> (scaled microseconds ahead of now, one per rate).
    /// </summary>
    public static StartGrant Reserve(long[] debts, IReadOnlyList<SharedRate> rates, int count, long horizon)
    {
        var starts = new List<long>(Math.Min(count, 64));
        long at = 0;
        while (true)
        {
            // The earliest offset every rate allows: debt − at × permits ≤ (burst − 1) × period.
            for (int r = 0; r < rates.Count; r++)
            {
                long need = debts[r] - ((rates[r].Burst - 1) * rates[r].PeriodMicroseconds);
                if (need > 0)
                {
                    at = Math.Max(at, CeilDiv(need, rates[r].Permits));
                }
            }

            if (starts.Count == count || at > horizon)
            {
                return new StartGrant(starts, at);
            }

            for (int r = 0; r < rates.Count; r++)
            {
                debts[r] = Math.Max(debts[r], at * rates[r].Permits) + rates[r].PeriodMicroseconds;
            }

            starts.Add(at);
        }
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
