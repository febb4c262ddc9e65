namespace Pacer.Http;

/// <summary>
/// Anthropic's headers: <c>anthropic-ratelimit-requests-limit</c>, <c>-requests-remaining</c>,
/// <c>-requests-reset</c>, and the same for <c>tokens</c>, <c>input-tokens</c> and
/// <c>output-tokens</c>. Resets are RFC 3339 timestamps; limits are per minute. The <c>tokens</c>
/// headers state the most restrictive token limit in effect; without them, the tighter of
/// <c>input-tokens</c> and <c>output-tokens</c> (fewer remaining) is taken.
/// </summary>
internal static class AnthropicRateLimitHeaderParser
{
    public const string Prefix = "anthropic-ratelimit-";

    private static readonly Dimension s_requests = new("requests");
    private static readonly Dimension s_tokens = new("tokens");
    private static readonly Dimension s_inputTokens = new("input-tokens");
    private static readonly Dimension s_outputTokens = new("output-tokens");

    /// <summary>Reads the headers; resets are absolute times, so no clock is needed.</summary>
    public static OutcomeHints? Parse(HttpResponseMessage response)
    {
        (long? requestLimit, long? remainingRequests, DateTimeOffset? requestsReset) = ReadDimension(response, s_requests);
        (_, long? remainingTokens, DateTimeOffset? tokensReset) = ReadDimension(response, s_tokens);
        if (remainingTokens is null && tokensReset is null)
        {
            (_, long? inputRemaining, DateTimeOffset? inputReset) = ReadDimension(response, s_inputTokens);
            (_, long? outputRemaining, DateTimeOffset? outputReset) = ReadDimension(response, s_outputTokens);
            bool outputTighter = outputRemaining is { } o && (inputRemaining is not { } i || o < i);
            (remainingTokens, tokensReset) = outputTighter ? (outputRemaining, outputReset) : (inputRemaining, inputReset);
        }

        return TokenBucketHints.Create(requestLimit, remainingRequests, requestsReset, remainingTokens, tokensReset);
    }

    private static (long? Limit, long? Remaining, DateTimeOffset? Reset) ReadDimension(HttpResponseMessage response, Dimension dimension)
    {
        long? limit = HeaderReader.TryParseInteger(HeaderReader.First(response, dimension.Limit), out long l) && l > 0 ? l : null;
        long? remaining = HeaderReader.TryParseInteger(HeaderReader.First(response, dimension.Remaining), out long r) && r >= 0 ? r : null;
        DateTimeOffset? reset = HeaderReader.TryParseRfc3339(HeaderReader.First(response, dimension.Reset), out DateTimeOffset at) ? at : null;
        return (limit, remaining, reset);
    }

    /// <summary>The three header names of one limited dimension.</summary>
    private sealed class Dimension(string name)
    {
        public string Limit { get; } = $"{Prefix}{name}-limit";

        public string Remaining { get; } = $"{Prefix}{name}-remaining";

        public string Reset { get; } = $"{Prefix}{name}-reset";
    }
}
