namespace Pacer;

/// <summary>A classifier's judgement of one failed attempt, with the service's retry-after hint if it gave one.</summary>
/// <param name="Kind">Whether to retry.</param>
/// <param name="RetryAfter">When given, the next attempt waits exactly this long instead of the backoff.</param>
public readonly record struct FailureVerdict(FailureKind Kind, TimeSpan? RetryAfter = null)
{
    /// <summary>Retry after the policy's backoff.</summary>
    public static FailureVerdict Retry => new(FailureKind.Retryable);

    /// <summary>Fail now.</summary>
    public static FailureVerdict Permanent => new(FailureKind.Permanent);

    /// <summary>The service refused for its rate limit: retry (after <paramref name="retryAfter"/> when given), and slow an adaptive lane down.</summary>
    public static FailureVerdict RateLimited(TimeSpan? retryAfter = null) => new(FailureKind.RateLimited, retryAfter);

    /// <summary>Whether another attempt may follow.</summary>
    public bool IsRetryable => Kind is FailureKind.Retryable or FailureKind.RateLimited;

    /// <summary>Retry, but not before <paramref name="delay"/> has passed.</summary>
    public static FailureVerdict RetryAfterDelay(TimeSpan delay) => new(FailureKind.Retryable, delay);
}
