namespace Pacer.Simulator;

/// <summary>Messages for people about a rejected request, worded after OpenAI's.</summary>
internal static class LimitMessages
{
    public static string Describe(LimitDecision decision)
    {
        var limits = decision.Limits;
        string wait = GoDuration.FormatMilliseconds(decision.RetryAfter);
        return decision.Reason switch
        {
            LimitReason.Concurrency => $"Too many concurrent requests: Limit {limits.MaxConcurrency}. Please try again in {wait}.",
            LimitReason.RequestsPerSecond => $"Rate limit reached for requests per second (RPS): Limit {limits.RequestsPerSecond}, Requested 1. Please try again in {wait}.",
            LimitReason.RequestsPerMinute => $"Rate limit reached for requests per min (RPM): Limit {limits.RequestsPerMinute}, Requested 1. Please try again in {wait}.",
            LimitReason.TokensPerMinute => $"Rate limit reached for tokens per min (TPM): Limit {limits.TokensPerMinute}, Requested {decision.Cost}. Please try again in {wait}.",
            LimitReason.RequestTooLarge => $"Request too large for tokens per min (TPM): Limit {limits.TokensPerMinute}, Requested {decision.Cost}. Shorten the prompt or lower max_tokens.",
            _ => "Accepted.",
        };
    }

    /// <summary>Whether the limit that was reached counts requests or tokens.</summary>
    public static string Dimension(LimitReason reason) =>
        reason is LimitReason.TokensPerMinute or LimitReason.RequestTooLarge ? "tokens" : "requests";
}
