namespace Pacer;

/// <summary>
/// The arithmetic a lane state store keeps: the engine's GCRA (<see cref="RateGate"/>) in whole
/// microseconds of the store's clock, each rate's theoretical arrival time kept as its debt ahead
/// of now, scaled by its permits so that no interval is ever rounded. The Lua script of
/// Pacer.Redis and the SQL function of Pacer.Postgres are this method, line for line.
/// </summary>
internal static class SharedStartMath
{
    /// <summary>How far ahead the first start of a grant may be: further, the caller is told when to ask again.</summary>
    public const long FirstReachMicroseconds = 1_000_000;

    /// <summary>
    /// How far ahead of a store's now a start it granted may still be used: the first start's reach
    /// (callers' horizons are shorter) and the engine's longest slack (50 ms).
    /// </summary>
    public const long GuardMicroseconds = FirstReachMicroseconds + 50_000;

    /// <summary>
    /// The debt of a rate whose lane the store holds no state for, at <paramref name="now"/>, when
    /// the store's state began at <paramref name="since"/>. Long after it began, none: the lane has
    /// been idle. Soon after (a restart that lost the state), as if the lane had been spent up to the
    /// guard, so starts granted before the loss and still in use are never granted again.
    /// </summary>
    public static long Fresh(SharedRate rate, long since, long now)
    {
        long ahead = since + GuardMicroseconds - now; // the latest start granted before, in µs from now
        return ahead <= -CeilDiv(rate.PeriodMicroseconds, rate.Permits) ? 0 : Math.Max(0, (ahead * rate.Permits) + rate.PeriodMicroseconds);
    }

    /// <summary>The debt of a rate <paramref name="elapsed"/> microseconds after it was <paramref name="debt"/>.</summary>
    public static long Decay(long debt, long permits, long elapsed) =>
        debt <= 0 || elapsed >= CeilDiv(debt, permits) ? 0 : debt - (elapsed * permits);

    /// <summary>
    /// Applies a correction of <paramref name="adjustment"/> units to every cost rate's debt, and to a
    /// quota that counts cost: more cost spent than reserved (positive), or given back (negative;
    /// never below idle).
    /// </summary>
    public static void Adjust(long[] debts, IReadOnlyList<SharedRate> rates, SharedQuota? quota, long[] quotaUsed, long adjustment)
    {
        for (int r = 0; r < rates.Count; r++)
        {
            if (rates[r].CountsCost && adjustment != 0)
            {
                debts[r] = Math.Max(0, debts[r] + (adjustment * rates[r].PeriodMicroseconds));
            }
        }

        if (quota is { CountsCost: true })
        {
            quotaUsed[0] = Math.Max(0, quotaUsed[0] + adjustment);
        }
    }

    /// <summary>The window of <paramref name="quota"/> that <paramref name="now"/> (µs since the epoch) falls in.</summary>
    public static long Window(SharedQuota quota, long now) => FloorDiv(now - quota.OffsetMicroseconds, quota.PeriodMicroseconds);

    /// <summary>
    /// What a quota has used of the window <paramref name="now"/> falls in and of the next (starts
    /// reserved across the edge count in the next), from what the store kept for the window
    /// <paramref name="storedWindow"/> and the one after it: a window the store kept nothing for is unused.
    /// </summary>
    public static long[] QuotaUsed(SharedQuota quota, long now, long storedWindow, long used, long usedNext)
    {
        long window = Window(quota, now);
        return window == storedWindow ? [used, usedNext] : window == storedWindow + 1 ? [usedNext, 0] : [0, 0];
    }

    /// <summary>
    /// Reserves a start for each of <paramref name="costs"/> in order while they fall no later than
    /// <paramref name="horizon"/>, moving <paramref name="debts"/> (scaled microseconds ahead of
    /// now, one per rate) and <paramref name="quotaUsed"/>. A request rate counts one unit per
    /// start, a cost rate the start's cost (none when it is 0). A quota's window that is spent
    /// moves the start to the next window's beginning; starts are reserved in the window of now
    /// and the next only.
    /// </summary>
    /// <param name="debts">Each rate's debt at now; moved by the starts reserved.</param>
    /// <param name="rates">The lane's rates.</param>
    /// <param name="costs">The cost of each start wanted, in order.</param>
    /// <param name="horizon">The latest offset a start after the first may have.</param>
    /// <param name="quota">The lane's quota, or null.</param>
    /// <param name="quotaUsed">What the quota has used of the window of now and of the next (<see cref="QuotaUsed"/>); moved by the starts reserved.</param>
    /// <param name="now">The store's now in microseconds since the epoch, for the quota's windows.</param>
    public static StartGrant Reserve(long[] debts, IReadOnlyList<SharedRate> rates, IReadOnlyList<long> costs, long horizon, SharedQuota? quota, long[] quotaUsed, long now)
    {
        var starts = new List<long>(Math.Min(costs.Count, 64));
        if (costs.Count == 0)
        {
            return new StartGrant(starts, 0);
        }

        long at = 0;
        while (true)
        {
            // The earliest offset every rate allows the next start: its units fit in the burst,
            // debt − at × permits ≤ (burst − units) × period, or its bucket is full, debt ≤ at × permits
            // (a start that costs more than the burst starts on a full bucket).
            long cost = starts.Count < costs.Count ? costs[starts.Count] : 1;
            for (int r = 0; r < rates.Count; r++)
            {
                long units = rates[r].CountsCost ? cost : 1;
                long need = Math.Min(debts[r] - ((rates[r].Burst - units) * rates[r].PeriodMicroseconds), debts[r]);
                if (units > 0 && need > 0)
                {
                    at = Math.Max(at, CeilDiv(need, rates[r].Permits));
                }
            }

            // The quota's window at that offset must hold the start's units (or be unused, for a
            // start larger than the whole quota); else the start moves to the next window.
            int window = 0;
            bool beyond = false;
            if (quota is { } q)
            {
                long units = q.CountsCost ? cost : 1;
                long first = Window(q, now);
                while (true)
                {
                    long k = Window(q, now + at) - first;
                    if (k >= 2)
                    {
                        beyond = true;
                        break;
                    }

                    window = (int)k;
                    if (units == 0 || quotaUsed[k] == 0 || quotaUsed[k] + units <= q.Limit)
                    {
                        break;
                    }

                    at = ((first + k + 1) * q.PeriodMicroseconds) + q.OffsetMicroseconds - now;
                }
            }

            // The first start is granted up to a second ahead, whatever the horizon: callers are
            // then served in the order they ask, and one that asks again at once cannot take every
            // start from the others.
            if (starts.Count == costs.Count || beyond || (at > horizon && (starts.Count > 0 || at > FirstReachMicroseconds)))
            {
                return new StartGrant(starts, at);
            }

            for (int r = 0; r < rates.Count; r++)
            {
                long units = rates[r].CountsCost ? cost : 1;
                if (units > 0)
                {
                    debts[r] = Math.Max(debts[r], at * rates[r].Permits) + (units * rates[r].PeriodMicroseconds);
                }
            }

            if (quota is { } spent)
            {
                quotaUsed[window] += spent.CountsCost ? cost : 1;
            }

            starts.Add(at);
        }
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
