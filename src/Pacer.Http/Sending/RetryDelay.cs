namespace Pacer.Http;

/// <summary>How long a refused request waits before its next attempt, from what the service said.</summary>
internal static class RetryDelay
{
    /// <summary>
    /// The retry-after when the service gave one (it wins over every reset time); otherwise, when
    /// requests or tokens are used up, the time until the later of their resets; otherwise
    /// <see langword="null"/>, and the retry policy's backoff applies.
    /// </summary>
    public static TimeSpan? From(OutcomeHints hints, DateTimeOffset now)
    {
        if (hints.RetryAfter is { } retryAfter)
        {
            return retryAfter;
        }

        DateTimeOffset? until = null;
        if (hints.RemainingRequests <= 0 && hints.RequestsResetAt > now)
        {
            until = hints.RequestsResetAt;
        }

        if (hints.RemainingTokens <= 0 && hints.TokensResetAt > now && (until is null || hints.TokensResetAt > until))
        {
            until = hints.TokensResetAt;
        }

        return until - now;
    }
}
