namespace Pacer.Http.Tests.Headers;

public class GoDurationTests
{
    [Theory]
    [InlineData("1s", 1_000)]
    [InlineData("6m0s", 360_000)]
    [InlineData("20ms", 20)]
    [InlineData("12ms", 12)]
    [InlineData("1m30.5s", 90_500)]
    [InlineData("2m59.56s", 179_560)]
    [InlineData("2h0m0s", 7_200_000)]
    [InlineData("0s", 0)]
    [InlineData("0", 0)]
    [InlineData("+5s", 5_000)]
    [InlineData(".5s", 500)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500\u00b5s", 1.5)]
    [InlineData("2000000ns", 2)]
    public void TryParse_ReadsGoDurations(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out TimeSpan duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("-1s")]
    [InlineData("s")]
    [InlineData("1x")]
    [InlineData("1.2.3s")]
    [InlineData("6m0")]
    [InlineData("1 s")]
    [InlineData("99999999999999999999h")]
    public void TryParse_RejectsMalformedDurations(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }
}
