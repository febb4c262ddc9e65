namespace Pacer;

/// <summary>The checks every <see cref="ILaneState"/> makes of its arguments, naming the one at fault.</summary>
public static class LaneStateArguments
{
    /// <summary>The longest lease name a store takes.</summary>
    public const int MaxLeaseLength = 200;

    /// <summary>
    /// The most microseconds a cost, an adjustment or a burst may come to over a rate's period
    /// (units × period): 2⁵⁰, so that a store's arithmetic stays exact in a double (Redis's Lua).
    /// </summary>
    public const long MaxScaledUnits = 1L << 50;

    /// <summary>Checks the arguments of <see cref="ILaneState.ReserveStartsAsync"/>.</summary>
    public static void CheckReserve(string lane, StartRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<SharedRate> rates = request.Rates ?? throw new ArgumentNullException(nameof(request), "request.Rates must not be null.");
        IReadOnlyList<long> costs = request.Costs ?? throw new ArgumentNullException(nameof(request), "request.Costs must not be null.");
        long costAdjustment = request.CostAdjustment;
        if (request.HorizonMicroseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.HorizonMicroseconds, "request.HorizonMicroseconds must not be negative.");
        }

        if (request.Quota is { } quota && (quota.Limit < 1 || quota.Limit > MaxScaledUnits || quota.PeriodMicroseconds < 1_000
            || quota.OffsetMicroseconds < 0 || quota.OffsetMicroseconds >= quota.PeriodMicroseconds))
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"request.Quota must have a limit from 1 to 2^50, a period of at least 1 ms and an offset from 0 to less than the period, got {quota}.");
        }
        long longestCostPeriod = 1;
        for (int r = 0; r < rates.Count; r++)
        {
            SharedRate rate = rates[r];
            if (rate.Permits < 1 || rate.PeriodMicroseconds < 1 || rate.Burst < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(request), $"request.Rates[{r}] must have permits, period and burst of at least 1, got {rate}.");
            }

            if (rate.Burst > MaxScaledUnits / rate.PeriodMicroseconds || rate.Permits > MaxScaledUnits / rate.PeriodMicroseconds)
            {
                throw new ArgumentOutOfRangeException(nameof(request), $"request.Rates[{r}]'s burst and permits times its period must be at most 2^50, got {rate}.");
            }

            if (rate.CountsCost)
            {
                longestCostPeriod = Math.Max(longestCostPeriod, rate.PeriodMicroseconds);
            }
        }

        long maxUnits = MaxScaledUnits / longestCostPeriod;
        for (int i = 0; i < costs.Count; i++)
        {
            if (costs[i] < 0 || costs[i] > maxUnits)
            {
                throw new ArgumentOutOfRangeException(nameof(request), costs[i], $"request.Costs[{i}] must be between 0 and {maxUnits} (2^50 over the longest cost rate's period).");
            }
        }

        if (costAdjustment < -maxUnits || costAdjustment > maxUnits)
        {
            throw new ArgumentOutOfRangeException(nameof(request), costAdjustment, $"request.CostAdjustment must be between {-maxUnits} and {maxUnits}.");
        }
    }

    /// <summary>Checks the arguments of <see cref="ILaneState.AcquireSlotsAsync"/>.</summary>
    public static void CheckAcquire(string lane, int maxConcurrency, IReadOnlyList<string> leases, TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        CheckLeases(lane, leases, ttl);
    }

    /// <summary>Checks a lane, its leases and their time to live.</summary>
    public static void CheckLeases(string lane, IReadOnlyList<string> leases, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(leases);
        if (ttl < TimeSpan.FromMilliseconds(1) || ttl > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "A lease's time to live is between 1 ms and 1 day.");
        }

        for (int i = 0; i < leases.Count; i++)
        {
            if (string.IsNullOrEmpty(leases[i]) || leases[i].Length > MaxLeaseLength)
            {
                throw new ArgumentException($"leases[{i}] must be 1 to {MaxLeaseLength} characters.", nameof(leases));
            }
        }
    }

    /// <summary><paramref name="span"/> in whole microseconds, rounded up.</summary>
    public static long Micros(TimeSpan span) => (span.Ticks + TimeSpan.TicksPerMicrosecond - 1) / TimeSpan.TicksPerMicrosecond;
}
