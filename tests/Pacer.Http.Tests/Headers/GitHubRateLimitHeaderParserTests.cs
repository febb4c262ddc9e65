using System.Net;

namespace Pacer.Http.Tests.Headers;

public class GitHubRateLimitHeaderParserTests
{
    [Fact]
    public void DocumentedSample_MapsRemainingResetAndHourlyLimit()
    {
        // The example in GitHub's "Rate limits for the REST API".
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "x-ratelimit-limit: 5000",
            "x-ratelimit-remaining: 4999",
            "x-ratelimit-used: 1",
            "x-ratelimit-reset: 1691591363",
            "x-ratelimit-resource: core"));

        Assert.Equal(4999, hints.RemainingRequests);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1691591363), hints.RequestsResetAt);
        Assert.Equal(5000, hints.RequestLimit);
        Assert.Equal(TimeSpan.FromHours(1), hints.LimitWindow);
        Assert.False(hints.RateLimited);
    }

    [Fact]
    public void Forbidden_WithNothingRemaining_IsARateLimit()
    {
        // GitHub's primary-limit refusal: 403, not 429.
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            HttpStatusCode.Forbidden,
            "x-ratelimit-limit: 60",
            "x-ratelimit-remaining: 0",
            "x-ratelimit-used: 60",
            "x-ratelimit-reset: 1761393600"));

        Assert.True(hints.RateLimited);
        Assert.Equal(0, hints.RemainingRequests);
        Assert.Equal(new DateTimeOffset(2025, 10, 25, 12, 0, 0, TimeSpan.Zero), hints.RequestsResetAt);
        Assert.Null(hints.RequestLimit); // no resource, no known window
    }

    [Fact]
    public void Forbidden_WithRetryAfter_IsASecondaryRateLimit()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.Forbidden, "retry-after: 60", "x-ratelimit-remaining: 4000"));

        Assert.True(hints.RateLimited);
        Assert.Equal(TimeSpan.FromSeconds(60), hints.RetryAfter);
    }

    [Fact]
    public void Forbidden_WithRequestsLeft_IsNotARateLimit()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.Forbidden, "x-ratelimit-remaining: 12"));

        Assert.False(hints.RateLimited);
    }

    [Fact]
    public void SearchResource_HasAMinuteWindow()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("x-ratelimit-limit: 30", "x-ratelimit-remaining: 29", "x-ratelimit-resource: search"));

        Assert.Equal((30L, TimeSpan.FromMinutes(1)), (hints.RequestLimit, hints.LimitWindow));
    }

    [Fact]
    public void SmallReset_IsSecondsFromNow()
    {
        // Many APIs copy the names but send the reset as seconds from now.
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("X-RateLimit-Limit: 10", "X-RateLimit-Remaining: 5", "X-RateLimit-Reset: 60"));

        Assert.Equal(HeaderTestTime.Now.AddSeconds(60), hints.RequestsResetAt);
    }

    [Theory]
    [InlineData("x-ratelimit-reset: Tue Feb 16 2021 09:02:42 GMT+0100")]
    [InlineData("x-ratelimit-reset: -1")]
    [InlineData("x-ratelimit-reset: 99999999999999")]
    [InlineData("x-ratelimit-remaining: -3")]
    [InlineData("x-ratelimit-remaining: lots")]
    [InlineData("x-ratelimit-limit: 0")]
    public void MalformedValues_AreIgnored(string header)
    {
        Assert.Same(OutcomeHints.None, HeaderTestTime.Parse(Responses.Make(header, "x-ratelimit-resource: core")));
    }
}
