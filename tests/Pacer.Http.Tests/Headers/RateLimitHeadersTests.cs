using System.Net;

namespace Pacer.Http.Tests.Headers;

public class RateLimitHeadersTests
{
    private static readonly DateTimeOffset s_now = HeaderTestTime.Now;

    [Fact]
    public void NoRateLimitHeaders_IsNone()
    {
        Assert.Same(OutcomeHints.None, HeaderTestTime.Parse(Responses.Make("server: nginx", "x-request-id: req_123", "cache-control: no-store")));
    }

    [Fact]
    public void Bare429_IsRateLimitedWithoutRetryAfter()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests));

        Assert.True(hints.RateLimited);
        Assert.Null(hints.RetryAfter);
    }

    [Fact]
    public void Bare503_IsNotRateLimited_ButWithRetryAfterItIs()
    {
        Assert.Same(OutcomeHints.None, HeaderTestTime.Parse(Responses.Make(HttpStatusCode.ServiceUnavailable)));
        Assert.True(HeaderTestTime.Parse(Responses.Make(HttpStatusCode.ServiceUnavailable, "Retry-After: 1")).RateLimited);
    }

    [Fact]
    public void EarlierFamily_WinsEachPair_LaterFamiliesFillTheRest()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "x-ratelimit-remaining-tokens: 100",
            "x-ratelimit-reset-tokens: 1s",
            "RateLimit-Policy: \"default\";q=600;w=60",
            "RateLimit: \"default\";r=7;t=3",
            "RateLimit-Limit: 20",
            "RateLimit-Remaining: 19"));

        Assert.Equal(100, hints.RemainingTokens);
        Assert.Equal(s_now.AddSeconds(1), hints.TokensResetAt);
        Assert.Equal(7, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(3), hints.RequestsResetAt);
        Assert.Equal((600L, TimeSpan.FromMinutes(1)), (hints.RequestLimit, hints.LimitWindow));
    }

    [Fact]
    public void TimeComesFromTheInjectedProvider()
    {
        var clock = HeaderTestTime.Clock();
        clock.Advance(TimeSpan.FromHours(2));

        OutcomeHints hints = RateLimitHeaders.Parse(Responses.Make("x-ratelimit-remaining-requests: 1", "x-ratelimit-reset-requests: 1s"), clock);

        Assert.Equal(s_now.AddHours(2).AddSeconds(1), hints.RequestsResetAt);
    }

    [Fact]
    public void RetryDelay_WithoutRetryAfter_IsTheLaterResetOfWhatIsUsedUp()
    {
        var hints = new OutcomeHints
        {
            RemainingRequests = 0,
            RequestsResetAt = s_now.AddSeconds(2),
            RemainingTokens = 0,
            TokensResetAt = s_now.AddSeconds(5),
        };

        Assert.Equal(TimeSpan.FromSeconds(5), RetryDelay.From(hints, s_now));
        Assert.Null(RetryDelay.From(hints with { RemainingRequests = 1, RemainingTokens = 3 }, s_now));
    }
}
