using System.Net;

namespace Pacer.Http.Tests.Headers;

public class RetryAfterHeaderParserTests
{
    [Theory]
    [InlineData("retry-after: 20", 20_000)]
    [InlineData("Retry-After: 0", 0)]
    [InlineData("retry-after: 1.5", 1_500)]
    [InlineData("retry-after-ms: 19876", 19_876)]
    [InlineData("retry-after-ms: 0.5", 0.5)]
    public void DeltaSeconds_AndMilliseconds_BecomeRetryAfter(string header, double milliseconds)
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, header));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), hints.RetryAfter);
    }

    [Fact]
    public void HttpDate_IsTheWaitFromNow()
    {
        // RFC 9110's example form (IMF-fixdate), 45 seconds after the test's now.
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.ServiceUnavailable, "Retry-After: Sat, 25 Oct 2025 12:00:15 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(45), hints.RetryAfter);
        Assert.True(hints.RateLimited);
    }

    [Fact]
    public void ObsoleteRfc850Date_IsRead()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, "Retry-After: Saturday, 25-Oct-25 12:00:30 GMT"));

        Assert.Equal(TimeSpan.FromMinutes(1), hints.RetryAfter);
    }

    [Fact]
    public void HttpDateInThePast_MeansNoWait()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT"));

        Assert.Equal(TimeSpan.Zero, hints.RetryAfter);
    }

    [Fact]
    public void Milliseconds_WinOverSeconds()
    {
        // OpenAI sends both: the seconds rounded up, the milliseconds exact.
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, "retry-after: 2", "retry-after-ms: 1234"));

        Assert.Equal(TimeSpan.FromMilliseconds(1234), hints.RetryAfter);
    }

    [Fact]
    public void MalformedMilliseconds_FallBackToSeconds()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, "retry-after: 2", "retry-after-ms: soon"));

        Assert.Equal(TimeSpan.FromSeconds(2), hints.RetryAfter);
    }

    [Theory]
    [InlineData("retry-after: 99999999999999999999999")]
    [InlineData("retry-after: 9999999999999999999999999999999999999999")]
    [InlineData("retry-after: 922337203685.4775")]
    [InlineData("retry-after-ms: 9999999999999999999999999999999999999999")]
    public void ANumberTooLongToRead_IsTheLongestWait(string header)
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, header));

        Assert.Equal(HeaderReader.LongestWait, hints.RetryAfter);
    }

    [Fact]
    public void AWaitOfHundredsOfDigits_IsTheLongestWait()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, "retry-after: " + new string('9', 400)));

        Assert.Equal(HeaderReader.LongestWait, hints.RetryAfter);
    }

    [Theory]
    [InlineData("retry-after: soon")]
    [InlineData("retry-after: -5")]
    [InlineData("retry-after: 1e3")]
    [InlineData("retry-after: Sat, 32 Oct 2025 12:00:15 GMT")]
    [InlineData("retry-after:")]
    [InlineData("retry-after-ms: -1")]
    [InlineData("retry-after-ms: NaN")]
    public void MalformedValues_AreIgnored(string header)
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.OK, header));

        Assert.Same(OutcomeHints.None, hints);
    }
}
