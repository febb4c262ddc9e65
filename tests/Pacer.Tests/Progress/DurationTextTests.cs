namespace Pacer.Tests.Progress;

public class DurationTextTests
{
    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(2_500_000, "250ms")]
    [InlineData(5_000, "0.5ms")]
    [InlineData(15_000_000, "1.5s")]
    [InlineData(600_000_000, "1m")]
    [InlineData(900_000_000, "1m30s")]
    [InlineData(36_000_000_000, "1h")]
    [InlineData(9_999_990_000_000, "11d13h46m39s")]
    [InlineData(1_799_990_000, "2m59.999s")]
    [InlineData(1_799_999_999, "3m")]
    public void Format_WritesDurationsAsRateLimitHeadersDo(long ticks, string expected)
    {
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromTicks(ticks)));
    }
}
