namespace Pacer.Http;

/// <summary>
/// The IETF fields of draft-ietf-httpapi-ratelimit-headers (drafts 08 to 11), structured-field
/// lists of named policies: <c>RateLimit: "default";r=50;t=30</c> (remaining quota and seconds
/// until it refills) and <c>RateLimit-Policy: "burst";q=100;w=60,"daily";q=1000;w=86400</c>
/// (quota per window of seconds). Only policies counting requests (no <c>qu</c>, or
/// <c>qu="requests"</c>) are read. With several policies, the one with the fewest remaining sets
/// the remaining and reset, and the one with the lowest rate (q ÷ w) the limit. A malformed field
/// is ignored whole, as the draft requires.
/// </summary>
internal static class IetfRateLimitHeaderParser
{
    public const string RateLimit = "RateLimit";
    public const string RateLimitPolicy = "RateLimit-Policy";

    public static OutcomeHints? Parse(HttpResponseMessage response, DateTimeOffset now)
    {
        HashSet<string>? otherUnits = null;
        long? limit = null;
        TimeSpan? window = null;
        if (StructuredFieldParser.TryParseList(HeaderReader.Joined(response, RateLimitPolicy), out List<StructuredItem> policies))
        {
            foreach (StructuredItem policy in policies)
            {
                if (policy.Name is not { } name)
                {
                    continue; // an older draft's integer form; see LegacyRateLimitHeaderParser
                }

                if (policy.Text("qu") is { } unit && unit != "requests")
                {
                    (otherUnits ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
                    continue;
                }

                // A window too long for a TimeSpan leaves its policy out, as a value that does not parse.
                if (policy.Integer("q") is { } q and > 0 && policy.Integer("w") is { } w and > 0 && HeaderReader.Seconds(w) is { } span
                    && (limit is null || (double)q / w < (double)limit.Value / window!.Value.TotalSeconds))
                {
                    limit = q;
                    window = span;
                }
            }
        }

        long? remaining = null;
        DateTimeOffset? reset = null;
        long? resetSeconds = null;
        if (StructuredFieldParser.TryParseList(HeaderReader.Joined(response, RateLimit), out List<StructuredItem> limits))
        {
            foreach (StructuredItem item in limits)
            {
                if (item.Name is not { } name || otherUnits?.Contains(name) == true || item.Integer("r") is not { } r || r < 0)
                {
                    continue;
                }

                long? t = item.Integer("t") is { } seconds and >= 0 ? seconds : null;
                if (remaining is null || r < remaining || (r == remaining && t > resetSeconds))
                {
                    remaining = r;
                    resetSeconds = t;
                    reset = t is { } delta ? HeaderReader.After(now, delta) : null;
                }
            }
        }

        if (remaining is null && limit is null)
        {
            return null;
        }

        return new OutcomeHints
        {
            RemainingRequests = remaining,
            RequestsResetAt = reset,
            RequestLimit = limit,
            LimitWindow = window,
        };
    }
}
