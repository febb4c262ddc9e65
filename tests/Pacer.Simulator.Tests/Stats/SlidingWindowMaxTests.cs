namespace Pacer.Simulator.Tests.Stats;

public class SlidingWindowMaxTests
{
    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void StartsExactlyOneWindowApartNeverShareOne()
    {
        var max = new SlidingWindowMax(Ms(100));
        max.Record(Ms(0));
        max.Record(Ms(100));
        max.Record(Ms(200));

        Assert.Equal(1, max.Max);
    }

    [Fact]
    public void StartsJustInsideOneWindowCount()
    {
        var max = new SlidingWindowMax(Ms(100));
        max.Record(Ms(0));
        max.Record(Ms(100) - TimeSpan.FromTicks(1));

        Assert.Equal(2, max.Max);
    }

    [Fact]
    public void BurstInTheMiddleIsFoundWhereverItFalls()
    {
        var max = new SlidingWindowMax(Ms(1000));
        TimeSpan[] starts = [Ms(0), Ms(600), Ms(900), Ms(1100), Ms(1500), Ms(1550), Ms(1599), Ms(2600)];
        foreach (var start in starts)
        {
            max.Record(start);
        }

        // 600, 900, 1100, 1500, 1550, 1599 all lie in (599, 1599].
        Assert.Equal(6, max.Max);
    }

    [Fact]
    public void SimultaneousStartsAllCount()
    {
        var max = new SlidingWindowMax(Ms(100));
        for (int i = 0; i < 5; i++)
        {
            max.Record(Ms(42));
        }

        Assert.Equal(5, max.Max);
    }

    [Theory]
    [InlineData(1, 100.0)]
    [InlineData(2, 1000.0)]
    [InlineData(3, 37.5)]
    public void MatchesBruteForceOnRandomStarts(int seed, double windowMs)
    {
        var random = new Random(seed);
        var window = Ms(windowMs);
        var starts = new List<TimeSpan>();
        var at = TimeSpan.Zero;
        for (int i = 0; i < 3_000; i++)
        {
            // Clusters and gaps, with repeated instants.
            at += random.Next(4) == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(random.Next(0, (int)(window.Ticks / 3)));
            starts.Add(at);
        }

        var max = new SlidingWindowMax(window);
        foreach (var start in starts)
        {
            max.Record(start);
        }

        Assert.Equal(BruteForceMax(starts, window), max.Max);
    }

    [Fact]
    public void Clear_StartsOver()
    {
        var max = new SlidingWindowMax(Ms(100));
        max.Record(Ms(0));
        max.Record(Ms(1));

        max.Clear();
        max.Record(Ms(2));

        Assert.Equal(1, max.Max);
    }

    /// <summary>The most starts in any half-open window [s, s + w), trying every start as s.</summary>
    private static int BruteForceMax(List<TimeSpan> starts, TimeSpan window)
    {
        int best = 0;
        foreach (var s in starts)
        {
            best = Math.Max(best, starts.Count(t => t >= s && t < s + window));
        }

        return best;
    }
}
