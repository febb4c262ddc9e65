namespace Pacer;

/// <summary>Thrown by a job's work to say "try again", optionally not before <see cref="RetryAfter"/>.</summary>
public sealed class RetryableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RetryableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RetryableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure it wraps.</summary>
    public RetryableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the service's retry-after hint.</summary>
    public RetryableException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception for a rate-limit refusal, which also slows an adaptive lane down.</summary>
    public RetryableException(string message, TimeSpan? retryAfter, bool isRateLimit, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
        IsRateLimit = isRateLimit;
    }

    /// <summary>Whether the service refused for its rate limit (a 429, a 503 with retry-after).</summary>
    public bool IsRateLimit { get; }

    /// <summary>The least time to wait before the next attempt, as the service asked.</summary>
    public TimeSpan? RetryAfter { get; }
}
