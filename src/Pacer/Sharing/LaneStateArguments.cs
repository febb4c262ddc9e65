namespace Pacer;

/// <summary>The checks every <see cref="ILaneState"/> makes of its arguments, naming the one at fault.</summary>
public static class LaneStateArguments
{
    /// <summary>The longest lease name a store takes.</summary>
    public const int MaxLeaseLength = 200;

    /// <summary>Checks the arguments of <see cref="ILaneState.ReserveStartsAsync"/>.</summary>
    public static void CheckReserve(string lane, IReadOnlyList<SharedRate> rates, int count, long horizonMicroseconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(horizonMicroseconds);
        for (int r = 0; r < rates.Count; r++)
        {
            SharedRate rate = rates[r];
            if (rate.Permits < 1 || rate.PeriodMicroseconds < 1 || rate.Burst < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rates), $"rates[{r}] must have permits, period and burst of at least 1, got {rate}.");
            }
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
