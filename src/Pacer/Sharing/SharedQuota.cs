namespace Pacer;

/// <summary>
/// A quota of a shared lane as the store keeps it: <paramref name="Limit"/> units in each window of
/// <paramref name="PeriodMicroseconds"/> on the store's clock, the windows beginning
/// <paramref name="OffsetMicroseconds"/> after each multiple of the period since the Unix epoch
/// (every hour on the hour; each day at a time of day). A start spends one unit, or its cost
/// (<paramref name="CountsCost"/>). A start that costs more than the whole quota may start on a
/// fresh window, or it never would.
/// </summary>
/// <param name="Limit">Units each window holds; at least 1.</param>
/// <param name="PeriodMicroseconds">The window's length; at least 1 ms.</param>
/// <param name="OffsetMicroseconds">Where the windows begin within a period; from 0 to less than the period.</param>
/// <param name="CountsCost">Whether a start spends its cost (true) or one unit (false).</param>
public readonly record struct SharedQuota(long Limit, long PeriodMicroseconds, long OffsetMicroseconds, bool CountsCost)
{
    /// <summary>The quota of <paramref name="quota"/>: refilled every <see cref="QuotaOptions.RefillEvery"/> from the epoch, or each day at <see cref="QuotaOptions.ResetAtUtc"/>.</summary>
    public static SharedQuota Of(QuotaOptions quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return quota.RefillEvery is { } every
            ? new SharedQuota(quota.Limit, LaneStateArguments.Micros(every), 0, quota.CountsCost)
            : new SharedQuota(quota.Limit, 86_400_000_000, LaneStateArguments.Micros(quota.ResetAtUtc!.Value.ToTimeSpan()), quota.CountsCost);
    }
}
