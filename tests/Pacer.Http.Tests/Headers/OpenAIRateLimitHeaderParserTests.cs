using System.Net;

namespace Pacer.Http.Tests.Headers;

public class OpenAIRateLimitHeaderParserTests
{
    private static readonly DateTimeOffset s_now = HeaderTestTime.Now;

    [Fact]
    public void DocumentedSample_MapsRequestsAndTokens()
    {
        // The example in OpenAI's rate-limit guide.
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "x-ratelimit-limit-requests: 60",
            "x-ratelimit-limit-tokens: 150000",
            "x-ratelimit-remaining-requests: 59",
            "x-ratelimit-remaining-tokens: 149984",
            "x-ratelimit-reset-requests: 1s",
            "x-ratelimit-reset-tokens: 6m0s"));

        Assert.Equal(60, hints.RequestLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), hints.LimitWindow);
        Assert.Equal(59, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(1), hints.RequestsResetAt);
        Assert.Equal(149_984, hints.RemainingTokens);
        Assert.Equal(s_now.AddMinutes(6), hints.TokensResetAt);
        Assert.False(hints.RateLimited);
        Assert.Null(hints.RetryAfter);
    }

    [Fact]
    public void MillisecondResets_AsSentByTheChatCompletionsApi()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "x-ratelimit-limit-requests: 5000",
            "x-ratelimit-limit-tokens: 160000",
            "x-ratelimit-limit-tokens_usage_based: 160000",
            "x-ratelimit-remaining-requests: 4999",
            "x-ratelimit-remaining-tokens: 159976",
            "x-ratelimit-remaining-tokens_usage_based: 159976",
            "x-ratelimit-reset-requests: 12ms",
            "x-ratelimit-reset-tokens: 9ms",
            "x-ratelimit-reset-tokens_usage_based: 9ms"));

        Assert.Equal((5000L, 4999L, 159_976L), (hints.RequestLimit, hints.RemainingRequests, hints.RemainingTokens));
        Assert.Equal(s_now.AddMilliseconds(12), hints.RequestsResetAt);
        Assert.Equal(s_now.AddMilliseconds(9), hints.TokensResetAt);
    }

    [Fact]
    public void RateLimited429_CarriesRetryAfterAndExhaustedTokens()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            HttpStatusCode.TooManyRequests,
            "retry-after: 20",
            "retry-after-ms: 19876",
            "x-ratelimit-limit-requests: 10000",
            "x-ratelimit-remaining-requests: 9999",
            "x-ratelimit-reset-requests: 6ms",
            "x-ratelimit-limit-tokens: 30000",
            "x-ratelimit-remaining-tokens: 0",
            "x-ratelimit-reset-tokens: 1m30.5s"));

        Assert.True(hints.RateLimited);
        Assert.Equal(TimeSpan.FromMilliseconds(19_876), hints.RetryAfter);
        Assert.Equal(0, hints.RemainingTokens);
        Assert.Equal(s_now.AddSeconds(90.5), hints.TokensResetAt);
    }

    [Fact]
    public void UnknownLimits_FromAzure_AreIgnoredWithTheirDimension()
    {
        // Azure OpenAI's Responses API answers -1 and 0 when it does not know the limits.
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "x-ratelimit-limit-tokens: -1",
            "x-ratelimit-remaining-tokens: -1",
            "x-ratelimit-reset-tokens: 0",
            "x-ratelimit-limit-requests: 0",
            "x-ratelimit-remaining-requests: 0"));

        Assert.Same(OutcomeHints.None, hints);
    }

    [Fact]
    public void MalformedValues_AreIgnoredOneByOne()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "x-ratelimit-limit-requests: sixty",
            "x-ratelimit-remaining-requests: 59",
            "x-ratelimit-reset-requests: 6m0",
            "x-ratelimit-remaining-tokens: 1.5",
            "x-ratelimit-reset-tokens: 20ms"));

        Assert.Null(hints.RequestLimit);
        Assert.Equal(59, hints.RemainingRequests);
        Assert.Null(hints.RequestsResetAt);
        Assert.Null(hints.RemainingTokens);
        Assert.Equal(s_now.AddMilliseconds(20), hints.TokensResetAt);
    }
}
