using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// <c>Retry-After</c> (delta seconds or an HTTP date, RFC 9110 section 10.2.3) and
/// <c>retry-after-ms</c> (milliseconds, sent by OpenAI and others beside <c>Retry-After</c>).
/// When both are present, <c>retry-after-ms</c> wins: it states the same wait more precisely.
/// A date in the past means no wait. A number too large to read, or a wait over
/// <see cref="HeaderReader.LongestWait"/>, is that longest wait: longer than any
/// <see cref="RetryPolicy.MaxRetryAfter"/> worth setting, so the retries end rather than start at once.
/// </summary>
internal static class RetryAfterHeaderParser
{
    public const string RetryAfter = "Retry-After";
    public const string RetryAfterMilliseconds = "retry-after-ms";

    public static OutcomeHints? Parse(HttpResponseMessage response, DateTimeOffset now)
    {
        TimeSpan? wait = ParseMilliseconds(HeaderReader.First(response, RetryAfterMilliseconds))
            ?? ParseRetryAfter(HeaderReader.First(response, RetryAfter), now);
        return wait is null ? null : new OutcomeHints { RetryAfter = wait };
    }

    /// <summary>A non-negative number of milliseconds, fractions allowed; at most <see cref="HeaderReader.LongestWait"/>.</summary>
    internal static TimeSpan? ParseMilliseconds(string? text) =>
        HeaderReader.TryParseNonNegativeNumber(text, out double ms) ? HeaderReader.Wait(ms / 1000) : null;

    /// <summary>Delta seconds (fractions tolerated; at most <see cref="HeaderReader.LongestWait"/>) or an HTTP date, as <c>Retry-After</c> carries them.</summary>
    internal static TimeSpan? ParseRetryAfter(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (HeaderReader.TryParseNonNegativeNumber(text, out double seconds))
        {
            return HeaderReader.Wait(seconds);
        }

        // Every HTTP date form (IMF-fixdate, RFC 850, asctime), as HttpClient itself reads them.
        if (char.IsAsciiLetter(text[0]) && RetryConditionHeaderValue.TryParse(text, out RetryConditionHeaderValue? parsed) && parsed.Date is { } date)
        {
            TimeSpan wait = date - now;
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < HeaderReader.LongestWait ? wait : HeaderReader.LongestWait;
        }

        return null;
    }
}
