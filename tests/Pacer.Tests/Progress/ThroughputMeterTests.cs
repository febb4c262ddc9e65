namespace Pacer.Tests.Progress;

/// <summary>The moving average behind every throughput figure, in timestamp ticks of 100 ns.</summary>
public class ThroughputMeterTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void NoCompletions_ReadsZero()
    {
        var meter = new ThroughputMeter(Second);

        Assert.Equal(0, meter.PerSecond(5 * Second));
    }

    [Fact]
    public void FewerThanTenSeconds_AreCompletionsOverTheTimeSinceTheFirst()
    {
        var meter = new ThroughputMeter(Second);
        for (int i = 0; i < 12; i++)
        {
            meter.Record(i * Second / 4);
        }

        Assert.Equal(12 / 4.0, meter.PerSecond(4 * Second));
    }

    [Fact]
    public void LessThanASecond_CountsAsOneSecond()
    {
        var meter = new ThroughputMeter(Second);
        meter.Record(0);
        meter.Record(Second / 10);

        Assert.Equal(2, meter.PerSecond(Second / 2));
    }

    [Fact]
    public void FullWindow_CountsTheLastTenSecondBuckets()
    {
        var meter = new ThroughputMeter(Second);
        for (int s = 0; s < 30; s++)
        {
            for (int k = 0; k < s; k++)
            {
                meter.Record(s * Second);
            }
        }

        // At 29.5 s the buckets hold seconds 20 to 29: 20 + 21 + ... + 29 completions over 9.5 seconds.
        Assert.Equal(245 / 9.5, meter.PerSecond((29 * Second) + (Second / 2)));
    }

    [Fact]
    public void AfterTenQuietSeconds_ReadsZero()
    {
        var meter = new ThroughputMeter(Second);
        meter.Record(0);
        meter.Record(Second);

        Assert.Equal(0, meter.PerSecond(12 * Second));
    }
}
