using System.Net;

namespace Pacer.Http.Tests.Headers;

public class AnthropicRateLimitHeaderParserTests
{
    [Fact]
    public void DocumentedSample_MapsRequestsAndTokens()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "anthropic-ratelimit-requests-limit: 50",
            "anthropic-ratelimit-requests-remaining: 49",
            "anthropic-ratelimit-requests-reset: 2025-10-25T12:00:00Z",
            "anthropic-ratelimit-tokens-limit: 50000",
            "anthropic-ratelimit-tokens-remaining: 49500",
            "anthropic-ratelimit-tokens-reset: 2025-10-25T12:01:00Z"));

        Assert.Equal(50, hints.RequestLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), hints.LimitWindow);
        Assert.Equal(49, hints.RemainingRequests);
        Assert.Equal(new DateTimeOffset(2025, 10, 25, 12, 0, 0, TimeSpan.Zero), hints.RequestsResetAt);
        Assert.Equal(49_500, hints.RemainingTokens);
        Assert.Equal(new DateTimeOffset(2025, 10, 25, 12, 1, 0, TimeSpan.Zero), hints.TokensResetAt);
    }

    [Fact]
    public void RateLimited429_WithRetryAfter()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            HttpStatusCode.TooManyRequests,
            "retry-after: 60",
            "anthropic-ratelimit-requests-limit: 50",
            "anthropic-ratelimit-requests-remaining: 0",
            "anthropic-ratelimit-requests-reset: 2025-10-25T12:00:30Z"));

        Assert.True(hints.RateLimited);
        Assert.Equal(TimeSpan.FromSeconds(60), hints.RetryAfter);
        Assert.Equal(0, hints.RemainingRequests);
    }

    [Fact]
    public void InputAndOutputTokens_TheTighterOneCounts()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "anthropic-ratelimit-input-tokens-limit: 40000",
            "anthropic-ratelimit-input-tokens-remaining: 39000",
            "anthropic-ratelimit-input-tokens-reset: 2025-10-25T12:00:00Z",
            "anthropic-ratelimit-output-tokens-limit: 8000",
            "anthropic-ratelimit-output-tokens-remaining: 120",
            "anthropic-ratelimit-output-tokens-reset: 2025-10-25T12:00:10Z"));

        Assert.Equal(120, hints.RemainingTokens);
        Assert.Equal(new DateTimeOffset(2025, 10, 25, 12, 0, 10, TimeSpan.Zero), hints.TokensResetAt);
    }

    [Theory]
    [InlineData("2025-10-25T12:00:00.5Z", 500)]
    [InlineData("2025-10-25T14:00:00+02:00", 0)]
    [InlineData("2025-10-25t12:00:00z", 0)]
    [InlineData("2025-10-25 12:00:00Z", 0)]
    public void Rfc3339Variants_AreRead(string reset, int milliseconds)
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "anthropic-ratelimit-requests-remaining: 3",
            $"anthropic-ratelimit-requests-reset: {reset}"));

        Assert.Equal(new DateTimeOffset(2025, 10, 25, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(milliseconds), hints.RequestsResetAt);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("10/25/2025 12:00:00")]
    [InlineData("2025-10-25")]
    [InlineData("2025-13-25T12:00:00Z")]
    [InlineData("1761393600")]
    public void MalformedResets_AreIgnored(string reset)
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "anthropic-ratelimit-requests-limit: -5",
            "anthropic-ratelimit-requests-remaining: many",
            $"anthropic-ratelimit-requests-reset: {reset}"));

        Assert.Same(OutcomeHints.None, hints);
    }
}
