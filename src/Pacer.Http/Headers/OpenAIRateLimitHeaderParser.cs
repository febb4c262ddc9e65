namespace Pacer.Http;

/// <summary>
/// OpenAI's headers (also sent by Azure OpenAI, Groq and other compatible services):
/// <c>x-ratelimit-limit-requests</c>, <c>x-ratelimit-remaining-requests</c>,
/// <c>x-ratelimit-reset-requests</c> and the <c>-tokens</c> variants. Resets are Go durations
/// (<c>1s</c>, <c>6m0s</c>, <c>20ms</c>, <c>1m30.5s</c>) until the allowance is full again. The
/// request limit is per minute. A limit of <c>0</c> or <c>-1</c> (Azure sends these when it does
/// not know) makes that whole dimension unknown, its remaining and reset included.
/// </summary>
internal static class OpenAIRateLimitHeaderParser
{
    public const string LimitRequests = "x-ratelimit-limit-requests";
    public const string RemainingRequests = "x-ratelimit-remaining-requests";
    public const string ResetRequests = "x-ratelimit-reset-requests";
    public const string LimitTokens = "x-ratelimit-limit-tokens";
    public const string RemainingTokens = "x-ratelimit-remaining-tokens";
    public const string ResetTokens = "x-ratelimit-reset-tokens";

    public static OutcomeHints? Parse(HttpResponseMessage response, DateTimeOffset now)
    {
        (long? requestLimit, long? remainingRequests, DateTimeOffset? requestsReset) =
            ReadDimension(response, LimitRequests, RemainingRequests, ResetRequests, now);
        (_, long? remainingTokens, DateTimeOffset? tokensReset) =
            ReadDimension(response, LimitTokens, RemainingTokens, ResetTokens, now);

        return TokenBucketHints.Create(requestLimit, remainingRequests, requestsReset, remainingTokens, tokensReset);
    }

    private static (long? Limit, long? Remaining, DateTimeOffset? Reset) ReadDimension(
        HttpResponseMessage response, string limitName, string remainingName, string resetName, DateTimeOffset now)
    {
        long? limit = null;
        if (HeaderReader.TryParseInteger(HeaderReader.First(response, limitName), out long parsedLimit))
        {
            if (parsedLimit <= 0)
            {
                return default; // the service does not know this limit
            }

            limit = parsedLimit;
        }

        long? remaining = HeaderReader.TryParseInteger(HeaderReader.First(response, remainingName), out long r) && r >= 0 ? r : null;
        DateTimeOffset? reset = GoDuration.TryParse(HeaderReader.First(response, resetName), out TimeSpan untilReset)
            ? HeaderReader.After(now, untilReset)
            : null;
        return (limit, remaining, reset);
    }
}
