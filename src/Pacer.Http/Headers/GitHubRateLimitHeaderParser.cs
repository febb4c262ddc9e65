namespace Pacer.Http;

/// <summary>
/// GitHub's headers, also common on other REST APIs: <c>x-ratelimit-limit</c>,
/// <c>x-ratelimit-remaining</c>, <c>x-ratelimit-reset</c> (Unix seconds; a small number is read as
/// seconds from now, as some APIs send it) and <c>x-ratelimit-resource</c>. The headers do not
/// state the window, so the request limit is reported only for resources whose window GitHub
/// documents: <c>core</c> per hour, <c>search</c> and <c>code_search</c> per minute. A 403 with
/// nothing remaining is GitHub's way of refusing for the rate limit (see <see cref="RateLimitHeaders"/>).
/// </summary>
internal static class GitHubRateLimitHeaderParser
{
    public const string Limit = "x-ratelimit-limit";
    public const string Remaining = "x-ratelimit-remaining";
    public const string Reset = "x-ratelimit-reset";
    public const string Resource = "x-ratelimit-resource";

    public static OutcomeHints? Parse(HttpResponseMessage response, DateTimeOffset now)
    {
        long? remaining = HeaderReader.TryParseInteger(HeaderReader.First(response, Remaining), out long r) && r >= 0 ? r : null;
        DateTimeOffset? reset = HeaderReader.TryParseInteger(HeaderReader.First(response, Reset), out long resetValue)
            ? HeaderReader.ResetFromNumber(resetValue, now)
            : null;
        long? limit = HeaderReader.TryParseInteger(HeaderReader.First(response, Limit), out long l) && l > 0 ? l : null;
        TimeSpan? window = WindowOf(HeaderReader.First(response, Resource));
        if (window is null)
        {
            limit = null;
        }

        if (remaining is null && reset is null && limit is null)
        {
            return null;
        }

        return new OutcomeHints
        {
            RemainingRequests = remaining,
            RequestsResetAt = reset,
            RequestLimit = limit,
            LimitWindow = limit is null ? null : window,
        };
    }

    private static TimeSpan? WindowOf(string? resource) => resource?.ToUpperInvariant() switch
    {
        "CORE" => TimeSpan.FromHours(1),
        "SEARCH" or "CODE_SEARCH" => TimeSpan.FromMinutes(1),
        _ => null,
    };
}
