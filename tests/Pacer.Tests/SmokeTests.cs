using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests;

public class SmokeTests
{
    [Fact]
    public async Task RunsJobsAndReturnsResultsInOrder()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("a", new LaneOptions { MaxConcurrency = 4 });
        int[] results = await engine.ForEachAsync(Enumerable.Range(0, 1000), async (i, ct) => { await Task.Yield(); return i * 2; },
            new BatchOptions { JobOptions = new JobOptions { Lane = "a" } });
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * 2), results);
    }

    [Fact]
    public async Task RateLimitSpacesStartsOnFakeTime()
    {
        var time = new FakeTimeProvider();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = time });
        engine.AddLane("r", new LaneOptions { Rates = { RateLimit.PerSecond(10) } });
        var starts = new List<DateTimeOffset>();
        var batch = engine.CreateBatch<int>(new BatchOptions { JobOptions = new JobOptions { Lane = "r" } });
        for (int i = 0; i < 20; i++)
        {
            batch.Add(ctx => { starts.Add(time.GetUtcNow()); return ValueTask.FromResult(1); });
        }

        var all = batch.WhenAllAsync();
        for (int i = 0; i < 40 && !all.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        var result = await all;
        Assert.True(result.AllSucceeded);
        Assert.Equal(20, starts.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(1900), starts[^1] - starts[0]);
    }
}
