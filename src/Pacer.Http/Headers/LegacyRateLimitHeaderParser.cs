namespace Pacer.Http;

/// <summary>
/// The older forms of the IETF rate-limit fields, still widely sent: <c>RateLimit-Limit</c>,
/// <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (drafts 00 to 06; the reset in seconds
/// from now, or as a Unix time, as GitLab sends it), and draft 07's single dictionary
/// <c>RateLimit: limit=100, remaining=50, reset=30</c>. The window comes from a policy such as
/// <c>RateLimit-Policy: 100;w=60</c> or <c>RateLimit-Limit: 100, 100;w=60</c>; without one the
/// limit is not reported, since its window is unknown.
/// </summary>
internal static class LegacyRateLimitHeaderParser
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";

    public static OutcomeHints? Parse(HttpResponseMessage response, DateTimeOffset now)
    {
        long? limit;
        long? remaining;
        long? resetValue;
        List<StructuredItem>? limitItems = null;
        if (StructuredFieldParser.TryParseDictionary(HeaderReader.Joined(response, IetfRateLimitHeaderParser.RateLimit), out var combined)
            && (combined.ContainsKey("limit") || combined.ContainsKey("remaining")))
        {
            limit = IntegerOf(combined, "limit");
            remaining = IntegerOf(combined, "remaining");
            resetValue = IntegerOf(combined, "reset");
        }
        else
        {
            limit = StructuredFieldParser.TryParseList(HeaderReader.Joined(response, Limit), out limitItems) && limitItems[0].Value is long l ? l : null;
            remaining = HeaderReader.TryParseInteger(HeaderReader.First(response, Remaining), out long r) ? r : null;
            resetValue = HeaderReader.TryParseInteger(HeaderReader.First(response, Reset), out long reset) ? reset : null;
        }

        limit = limit > 0 ? limit : null;
        remaining = remaining >= 0 ? remaining : null;
        DateTimeOffset? resetAt = resetValue is { } value ? HeaderReader.ResetFromNumber(value, now) : null;
        TimeSpan? window = limit is { } stated ? WindowOf(stated, limitItems, response) : null;
        if (window is null)
        {
            limit = null;
        }

        if (limit is null && remaining is null && resetAt is null)
        {
            return null;
        }

        return new OutcomeHints
        {
            RequestLimit = limit,
            LimitWindow = window,
            RemainingRequests = remaining,
            RequestsResetAt = resetAt,
        };
    }

    private static long? IntegerOf(Dictionary<string, StructuredItem> members, string key) =>
        members.TryGetValue(key, out StructuredItem? item) && item.Value is long value ? value : null;

    /// <summary>
    /// The window of the policy whose quota is the stated limit, from the limit field's own policy
    /// items or from an integer-form <c>RateLimit-Policy</c>.
    /// </summary>
    private static TimeSpan? WindowOf(long limit, List<StructuredItem>? limitItems, HttpResponseMessage response)
    {
        if (limitItems is not null && FindWindow(limit, limitItems) is { } fromLimit)
        {
            return fromLimit;
        }

        return StructuredFieldParser.TryParseList(HeaderReader.Joined(response, IetfRateLimitHeaderParser.RateLimitPolicy), out var policies)
            ? FindWindow(limit, policies)
            : null;
    }

    private static TimeSpan? FindWindow(long limit, List<StructuredItem> items)
    {
        foreach (StructuredItem item in items)
        {
            if (item.Value is long quota && quota == limit && item.Integer("w") is { } w and > 0 && HeaderReader.Seconds(w) is { } window)
            {
                return window;
            }
        }

        return null;
    }
}
