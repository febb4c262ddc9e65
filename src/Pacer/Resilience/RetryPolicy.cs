namespace Pacer;

/// <summary>
/// How failed attempts are retried: up to <see cref="MaxAttempts"/> in all, after an exponential
/// backoff with jitter, or after the retry-after the failure carries. A job waiting for its retry
/// holds no concurrency slot.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>No retries: one attempt only.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>The default: 3 attempts, 1 s base delay doubling to at most 30 s, 20% jitter.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>The most attempts a policy may allow.</summary>
    public const int MaxAttemptsLimit = ushort.MaxValue;

    /// <summary>Attempts in all, the first one included.</summary>
    /// <value>Default 3; between 1 and 65,535.</value>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before the second attempt; each further one doubles it.</summary>
    /// <value>Default 1 second; at least zero.</value>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay.</summary>
    /// <value>Default 30 seconds; at least <see cref="BaseDelay"/>.</value>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Spread of the backoff: the delay is drawn uniformly from delay × [1 − Jitter, 1 + Jitter]
    /// (then capped by <see cref="MaxDelay"/>), so that failed jobs do not return in step.
    /// </summary>
    /// <value>Default 0.2; between 0 and 1.</value>
    public double Jitter { get; init; } = 0.2;

    /// <summary>The longest retry-after hint honoured; a longer one fails the job instead of parking it.</summary>
    /// <value>Default 1 hour.</value>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Judges each failure; returns whether to retry and any retry-after.</summary>
    /// <value>Default <see langword="null"/>: <see cref="FailureClassifier.Default(Exception)"/>.</value>
    public Func<Exception, FailureVerdict>? Classify { get; init; }

    /// <summary>The delay before attempt <paramref name="failedAttempts"/> + 1, before jitter.</summary>
    internal TimeSpan Backoff(int failedAttempts, double unitRandom)
    {
        double factor = Math.Pow(2, Math.Min(failedAttempts - 1, 62));
        double ticks = Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks);
        ticks *= 1 - Jitter + (2 * Jitter * unitRandom);
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, 0, MaxDelay.Ticks));
    }

    internal void Validate(OptionsErrors errors, string prefix)
    {
        if (MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            errors.Add($"{prefix}MaxAttempts must be between 1 and {MaxAttemptsLimit}, got {MaxAttempts}.");
        }

        if (BaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{prefix}BaseDelay must be at least zero, got {BaseDelay}.");
        }

        if (MaxDelay < BaseDelay)
        {
            errors.Add($"{prefix}MaxDelay must be at least BaseDelay ({BaseDelay}), got {MaxDelay}.");
        }

        if (Jitter is < 0 or > 1 || double.IsNaN(Jitter))
        {
            errors.Add($"{prefix}Jitter must be between 0 and 1, got {Jitter}.");
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add($"{prefix}MaxRetryAfter must be at least zero, got {MaxRetryAfter}.");
        }
    }
}
