using System.Net;

namespace Pacer.Http.Tests.Headers;

public class IetfRateLimitHeaderParserTests
{
    private static readonly DateTimeOffset s_now = HeaderTestTime.Now;

    [Fact]
    public void Draft11Sample_MapsRemainingAndReset()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit: \"default\";r=50;t=30"));

        Assert.Equal(50, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(30), hints.RequestsResetAt);
        Assert.Null(hints.RequestLimit);
    }

    [Fact]
    public void Policy_GivesTheLimitAndItsWindow()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "RateLimit-Policy: \"default\";q=100;w=10",
            "RateLimit: \"default\";r=1;t=7"));

        Assert.Equal((100L, TimeSpan.FromSeconds(10)), (hints.RequestLimit, hints.LimitWindow));
        Assert.Equal(1, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(7), hints.RequestsResetAt);
    }

    [Fact]
    public void SeveralPolicies_TheLowestRateIsTheLimit_AndTheFewestRemainingCount()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "RateLimit-Policy: \"permin\";q=50;w=60,\"perhr\";q=1000;w=3600",
            "RateLimit: \"permin\";r=20;t=40, \"perhr\";r=3;t=1800"));

        Assert.Equal((1000L, TimeSpan.FromHours(1)), (hints.RequestLimit, hints.LimitWindow));
        Assert.Equal(3, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(1800), hints.RequestsResetAt);
    }

    [Fact]
    public void ListsSplitOverSeveralFieldLines_AreJoined()
    {
        var response = Responses.Make();
        response.Headers.TryAddWithoutValidation("RateLimit", "\"a\";r=9;t=1");
        response.Headers.TryAddWithoutValidation("RateLimit", "\"b\";r=0;t=5");

        OutcomeHints hints = HeaderTestTime.Parse(response);

        Assert.Equal(0, hints.RemainingRequests);
        Assert.Equal(s_now.AddSeconds(5), hints.RequestsResetAt);
    }

    [Fact]
    public void PoliciesOfOtherUnits_AreSkipped()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "RateLimit-Policy: \"peruser\";q=65535;qu=\"content-bytes\";w=10;pk=:sdfjLJUOUH==:, \"req\";q=10;w=1",
            "RateLimit: \"peruser\";r=0;t=10, \"req\";r=4;t=1"));

        Assert.Equal((10L, TimeSpan.FromSeconds(1)), (hints.RequestLimit, hints.LimitWindow));
        Assert.Equal(4, hints.RemainingRequests);
    }

    [Fact]
    public void PartitionKeyAndNoWindow_AreFine()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit: \"default\";r=999;pk=:dHJpYWwxMjEzMjM=:"));

        Assert.Equal(999, hints.RemainingRequests);
        Assert.Null(hints.RequestsResetAt);
    }

    [Fact]
    public void TokenNames_OfDraft09_AreRead()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit: default;r=5;t=2"));

        Assert.Equal(5, hints.RemainingRequests);
    }

    [Fact]
    public void RetryAfter_WinsOverTheEffectiveWindow()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(HttpStatusCode.TooManyRequests, "RateLimit: \"default\";r=0;t=30", "Retry-After: 40"));

        Assert.Equal(TimeSpan.FromSeconds(40), hints.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(40), RetryDelay.From(hints, s_now));
    }

    [Fact]
    public void AWindowTooLongForATimeSpan_LeavesThatPolicyOut_NotThrown()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make(
            "RateLimit-Policy: \"p\";q=1;w=999999999999999, \"q\";q=10;w=1",
            "RateLimit: \"p\";r=5;t=1"));

        Assert.Equal((10L, TimeSpan.FromSeconds(1)), (hints.RequestLimit, hints.LimitWindow));
        Assert.Equal(5, hints.RemainingRequests);
    }

    [Fact]
    public void AResetTooFarForTheCalendar_IsLeftOut_NotThrown()
    {
        OutcomeHints hints = HeaderTestTime.Parse(Responses.Make("RateLimit: \"p\";r=0;t=999999999999999"));

        Assert.Equal(0, hints.RemainingRequests);
        Assert.Null(hints.RequestsResetAt);
    }

    [Theory]
    [InlineData("\"default\";r=50;t=30,")]
    [InlineData("\"default\";r=-1;t=30")]
    [InlineData("\"default\";r=abc;t=30")]
    [InlineData("\"default\";t=30")]
    [InlineData("\"default;r=5")]
    [InlineData("\"default\";r=5.5")]
    [InlineData("(\"a\" \"b\");r=1")]
    public void MalformedFields_AreIgnored(string value)
    {
        Assert.Same(OutcomeHints.None, HeaderTestTime.Parse(Responses.Make($"RateLimit: {value}")));
    }
}
