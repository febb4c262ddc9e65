namespace Pacer.Simulator.Tests.Headers;

public class HeaderValuesTests
{
    private static readonly DateTimeOffset s_instant = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Rfc3339_WholeSecondIsWrittenAsIs() =>
        Assert.Equal("2025-03-04T05:06:07Z", HeaderValues.Rfc3339(s_instant));

    [Fact]
    public void Rfc3339_RoundsUpToTheNextSecond() =>
        Assert.Equal("2025-03-04T05:06:08Z", HeaderValues.Rfc3339(s_instant.AddTicks(1)));

    [Fact]
    public void Rfc3339_ConvertsToUtc() =>
        Assert.Equal("2025-03-04T05:06:07Z", HeaderValues.Rfc3339(s_instant.ToOffset(TimeSpan.FromHours(2))));

    [Fact]
    public void Rfc3339_ParsesBackToTheSameInstant() =>
        Assert.Equal(s_instant, DateTimeOffset.Parse(HeaderValues.Rfc3339(s_instant), System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1L, 1L)]
    [InlineData(10_000_000L, 1L)]
    [InlineData(10_000_001L, 2L)]
    [InlineData(598_980_000L, 60L)]
    public void RetryAfterSeconds_RoundsUp(long ticks, long expected) =>
        Assert.Equal(expected, HeaderValues.RetryAfterSeconds(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(10_000L, 1L)]
    [InlineData(10_001L, 2L)]
    public void RetryAfterMilliseconds_RoundsUp(long ticks, long expected) =>
        Assert.Equal(expected, HeaderValues.RetryAfterMilliseconds(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(-1, 0)]
    [InlineData(499, 0)]
    [InlineData(500, 1)]
    public void NearestUnixSeconds_RoundsToTheNearestSecond(int milliseconds, long expectedOffset) =>
        Assert.Equal(s_instant.ToUnixTimeSeconds() + expectedOffset, HeaderValues.NearestUnixSeconds(s_instant.AddMilliseconds(milliseconds)));
}
