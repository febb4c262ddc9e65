namespace Pacer;

/// <summary>How a failed attempt is judged.</summary>
public enum FailureKind
{
    /// <summary>Worth another attempt (a timeout, a 429, a 503, a dropped connection).</summary>
    Retryable,

    /// <summary>Another attempt would fail the same way; the job fails now.</summary>
    Permanent,

    /// <summary>The service refused for its rate limit (a 429, a 503 with retry-after): retry, and an adaptive lane slows down.</summary>
    RateLimited,
}
