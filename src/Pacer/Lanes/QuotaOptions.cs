namespace Pacer;

/// <summary>
/// A budget that refills all at once: every <see cref="RefillEvery"/>, or each day at
/// <see cref="ResetAtUtc"/> (a daily budget that resets at midnight UTC). When spent, jobs wait
/// for the refill; they do not fail.
/// </summary>
public sealed class QuotaOptions
{
    /// <summary>Units the quota holds after each refill.</summary>
    /// <value>Required; at least 1.</value>
    public long Limit { get; set; }

    /// <summary>Refills the quota this long after the previous refill (the first one at the lane's creation).</summary>
    /// <value>Default <see langword="null"/>; exactly one of this and <see cref="ResetAtUtc"/> is set.</value>
    public TimeSpan? RefillEvery { get; set; }

    /// <summary>Refills the quota every day at this UTC clock time.</summary>
    /// <value>Default <see langword="null"/>; exactly one of this and <see cref="RefillEvery"/> is set.</value>
    public TimeOnly? ResetAtUtc { get; set; }

    /// <summary>Whether a job spends its cost (true) or one unit (false) of the quota.</summary>
    /// <value>Default <see langword="false"/>: the quota counts requests.</value>
    public bool CountsCost { get; set; }

    internal void Validate(OptionsErrors errors)
    {
        if (Limit < 1)
        {
            errors.Add($"Quota.Limit must be at least 1, got {Limit}.");
        }

        if (RefillEvery is null == ResetAtUtc is null)
        {
            errors.Add("Quota needs exactly one of RefillEvery and ResetAtUtc.");
        }

        if (RefillEvery is { } every && every <= TimeSpan.Zero)
        {
            errors.Add($"Quota.RefillEvery must be positive, got {every}.");
        }
    }

    internal QuotaOptions Clone() => (QuotaOptions)MemberwiseClone();
}
