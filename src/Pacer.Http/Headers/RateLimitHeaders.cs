using System.Net;
using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// Reads what a response says about the service's rate limits into <see cref="OutcomeHints"/>:
/// <c>Retry-After</c> and <c>retry-after-ms</c>; OpenAI's <c>x-ratelimit-*-requests</c> and
/// <c>-tokens</c>; Anthropic's <c>anthropic-ratelimit-*</c>; GitHub's <c>x-ratelimit-*</c>; the
/// IETF <c>RateLimit</c> and <c>RateLimit-Policy</c> fields and their older
/// <c>RateLimit-Limit</c>/<c>-Remaining</c>/<c>-Reset</c> form. Malformed values are ignored,
/// never thrown.
/// </summary>
/// <remarks>
/// When several families are present, each pair of fields (remaining and reset, limit and
/// window) comes whole from the first family that has it, in the order OpenAI, Anthropic, GitHub,
/// IETF, older IETF. Only <c>Retry-After</c> sets <see cref="OutcomeHints.RetryAfter"/>, so it wins
/// over any reset time. <see cref="OutcomeHints.RateLimited"/> is set for a 429, for a 503 with a
/// retry-after, and for a 403 with a retry-after or with no requests remaining (GitHub's refusals).
/// </remarks>
public static class RateLimitHeaders
{
    /// <summary>Reads the rate-limit headers of <paramref name="response"/>.</summary>
    /// <param name="response">The response; its content is not read.</param>
    /// <param name="timeProvider">Where "now" comes from, to turn relative resets into times and dates into waits.</param>
    /// <returns>The hints; <see cref="OutcomeHints.None"/> (the same instance) when the response carries none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> or <paramref name="timeProvider"/> is null.</exception>
    public static OutcomeHints Parse(HttpResponseMessage response, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!MayCarryHints(response.Headers))
        {
            return response.StatusCode == HttpStatusCode.TooManyRequests ? s_rateLimitedOnly : OutcomeHints.None;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();

        OutcomeHints? merged = OpenAIRateLimitHeaderParser.Parse(response, now);
        merged = Merge(merged, AnthropicRateLimitHeaderParser.Parse(response));
        merged = Merge(merged, GitHubRateLimitHeaderParser.Parse(response, now));
        merged = Merge(merged, IetfRateLimitHeaderParser.Parse(response, now));
        merged = Merge(merged, LegacyRateLimitHeaderParser.Parse(response, now));

        TimeSpan? retryAfter = RetryAfterHeaderParser.Parse(response, now)?.RetryAfter;
        bool rateLimited = response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => true,
            HttpStatusCode.ServiceUnavailable => retryAfter is not null,
            HttpStatusCode.Forbidden => retryAfter is not null || merged?.RemainingRequests == 0,
            _ => false,
        };

        if (merged is null && retryAfter is null && !rateLimited)
        {
            return OutcomeHints.None;
        }

        return (merged ?? OutcomeHints.None) with { RetryAfter = retryAfter, RateLimited = rateLimited };
    }

    private static readonly OutcomeHints s_rateLimitedOnly = OutcomeHints.None with { RateLimited = true };

    /// <summary>
    /// Whether any header's name could be one read here: every one of them names a rate limit or a
    /// retry. One pass over the names costs less than the parsers' lookups, and most responses
    /// carry none.
    /// </summary>
    private static bool MayCarryHints(HttpResponseHeaders headers)
    {
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            if (header.Key.Contains("ratelimit", StringComparison.OrdinalIgnoreCase)
                || header.Key.Contains("retry", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fills the pairs <paramref name="first"/> lacks from <paramref name="next"/>.</summary>
    private static OutcomeHints? Merge(OutcomeHints? first, OutcomeHints? next)
    {
        if (first is null || next is null)
        {
            return first ?? next;
        }

        OutcomeHints merged = first;
        if (first.RemainingRequests is null && first.RequestsResetAt is null)
        {
            merged = merged with { RemainingRequests = next.RemainingRequests, RequestsResetAt = next.RequestsResetAt, RefillsContinuously = next.RefillsContinuously };
        }

        if (first.RemainingTokens is null && first.TokensResetAt is null)
        {
            merged = merged with { RemainingTokens = next.RemainingTokens, TokensResetAt = next.TokensResetAt };
        }

        if (first.RequestLimit is null)
        {
            merged = merged with { RequestLimit = next.RequestLimit, LimitWindow = next.LimitWindow };
        }

        return merged;
    }
}
