namespace Pacer.Http.Tests.Headers;

public class LegacyRateLimitHeaderParserTests
{
    private static readonly DateTimeOffset s_now = HeaderTestTime.Now;

    [Fact]
    public void ThreeFields_WithDeltaSecondsReset()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit-Limit: 10", "RateLimit-Remaining: 1", "RateLimit-Reset: 7"));

        Assert.Equal(1, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(7), hints.RequestsResetAt);
        Assert.Null(hints.RequestLimit); // no window stated
    }

    [Fact]
    public void LimitWithPolicyItems_GivesTheWindow()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit-Limit: 10, 10;w=1, 50;w=60", "RateLimit-Remaining: 9", "RateLimit-Reset: 1"));

        Assert.Equal((10L, TimeSpan.FromSeconds(1)), (hints.RequestLimit, hints.LimitWindow));
    }

    [Fact]
    public void SeparatePolicyField_GivesTheWindow()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit-Limit: 5000", "RateLimit-Policy: 5000;w=86400", "RateLimit-Remaining: 4999", "RateLimit-Reset: 36000"));

        Assert.Equal((5000L, TimeSpan.FromDays(1)), (hints.RequestLimit, hints.LimitWindow));
        Assert.Equal(s_now.AddHours(10), hints.RequestsResetAt);
    }

    [Fact]
    public void GitLabSample_WithUnixReset()
    {
        // GitLab's documented headers: the reset is a Unix time.
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "RateLimit-Limit: 60",
            "RateLimit-Name: throttle_authenticated_web",
            "RateLimit-Observed: 67",
            "RateLimit-Remaining: 0",
            "RateLimit-Reset: 1609844400",
            "RateLimit-ResetTime: Tue, 05 Jan 2021 11:00:00 GMT"));

        Assert.Equal(0, hints.RemainingRequests);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1609844400), hints.RequestsResetAt);
    }

    [Fact]
    public void Draft07Dictionary_IsRead()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit: limit=100, remaining=50, reset=30", "RateLimit-Policy: 100;w=60"));

        Assert.Equal(50, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(30), hints.RequestsResetAt);
        Assert.Equal((100L, TimeSpan.FromMinutes(1)), (hints.RequestLimit, hints.LimitWindow));
    }

    [Theory]
    [InlineData("RateLimit-Limit: 100, 100;w=999999999999999")]
    [InlineData("RateLimit-Limit: 100")]
    public void AWindowTooLongForATimeSpan_LeavesTheLimitOut_NotThrown(string limit)
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(limit, "RateLimit-Policy: 100;w=999999999999999", "RateLimit-Remaining: 7"));

        Assert.Null(hints.RequestLimit);
        Assert.Equal(7, hints.RemainingRequests);
    }

    [Theory]
    [InlineData("RateLimit-Remaining: none")]
    [InlineData("RateLimit-Remaining: -1")]
    [InlineData("RateLimit-Reset: later")]
    [InlineData("RateLimit-Limit: ten")]
    [InlineData("RateLimit: limit=ten, remaining=x")]
    public void MalformedValues_AreIgnored(string header)
    {
        Assert.Same(OutcomeHints.None, HeaderTestTime.Parse(Responses.Make(header)));
    }
}
