namespace Pacer.Http;

/// <summary>
/// The hints of a provider whose allowance is a steadily refilling token bucket with per-minute
/// limits (OpenAI, Anthropic): both parsers read their own header names and formats, then end here.
/// </summary>
internal static class TokenBucketHints
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);

    /// <summary>The hints, or null when the response said nothing about the limits.</summary>
    public static OutcomeHints? Create(
        long? requestLimit, long? remainingRequests, DateTimeOffset? requestsReset, long? remainingTokens, DateTimeOffset? tokensReset)
    {
        if (requestLimit is null && remainingRequests is null && requestsReset is null && remainingTokens is null && tokensReset is null)
        {
            return null;
        }

        return new OutcomeHints
        {
            RefillsContinuously = true,
            RequestLimit = requestLimit,
            LimitWindow = requestLimit is null ? null : s_window,
            RemainingRequests = remainingRequests,
            RequestsResetAt = requestsReset,
            RemainingTokens = remainingTokens,
            TokensResetAt = tokensReset,
        };
    }
}
