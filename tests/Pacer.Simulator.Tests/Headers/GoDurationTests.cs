namespace Pacer.Simulator.Tests.Headers;

public class GoDurationTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "100ns")]
    [InlineData(15L, "1.5µs")]
    [InlineData(200_000L, "20ms")]
    [InlineData(15_000L, "1.5ms")]
    [InlineData(10_000_000L, "1s")]
    [InlineData(25_000_000L, "2.5s")]
    [InlineData(600_000_000L, "1m0s")]
    [InlineData(3_600_000_000L, "6m0s")]
    [InlineData(905_000_000L, "1m30.5s")]
    [InlineData(36_000_000_000L, "1h0m0s")]
    [InlineData(36_610_000_000L, "1h1m1s")]
    [InlineData(10_000_001L, "1.0000001s")]
    [InlineData(-15_000_000L, "-1.5s")]
    public void Format_MatchesGo(long ticks, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData(1L, "1ms")]
    [InlineData(10_000L, "1ms")]
    [InlineData(10_001L, "2ms")]
    [InlineData(199_999L, "20ms")]
    [InlineData(9_999_999L, "1s")]
    [InlineData(600_000_001L, "1m0.001s")]
    public void FormatMilliseconds_RoundsUp(long ticks, string expected) =>
        Assert.Equal(expected, GoDuration.FormatMilliseconds(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("20ms", 200_000L)]
    [InlineData("1s", 10_000_000L)]
    [InlineData("6m0s", 3_600_000_000L)]
    [InlineData("1m30.5s", 905_000_000L)]
    [InlineData("1h", 36_000_000_000L)]
    [InlineData("1.5us", 15L)]
    [InlineData("1.5µs", 15L)]
    [InlineData("-2s", -20_000_000L)]
    public void TryParse_ReadsGoSyntax(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("ms")]
    [InlineData("1x")]
    [InlineData("1.2.3s")]
    [InlineData("-")]
    public void TryParse_RejectsMalformedText(string text) =>
        Assert.False(GoDuration.TryParse(text, out _));

    [Fact]
    public void Parse_NamesTheFieldAndTheText()
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse("soon", "--latency"));

        Assert.Equal("--latency must be a duration such as 250ms, 2s or 1m30s, got 'soon'.", error.Message);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(123_456_789L)]
    [InlineData(36_610_000_001L)]
    public void FormatThenParse_RoundTrips(long ticks)
    {
        Assert.True(GoDuration.TryParse(GoDuration.Format(TimeSpan.FromTicks(ticks)), out var back));
        Assert.Equal(TimeSpan.FromTicks(ticks), back);
    }
}
