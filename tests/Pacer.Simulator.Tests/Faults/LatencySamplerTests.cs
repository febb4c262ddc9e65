namespace Pacer.Simulator.Tests.Faults;

public class LatencySamplerTests
{
    private static LatencySampler CreateSut(LatencyOptions options, int seed = 1) => new(options, new SeededRandom(seed));

    [Fact]
    public void WithoutJitter_EveryRequestTakesTheBase()
    {
        var sampler = CreateSut(new LatencyOptions { Base = TimeSpan.FromMilliseconds(30) });

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(TimeSpan.FromMilliseconds(30), sampler.Next()));
    }

    [Fact]
    public void ZeroLatency_IsAllowed() =>
        Assert.Equal(TimeSpan.Zero, CreateSut(new LatencyOptions()).Next());

    [Fact]
    public void Uniform_StaysBetweenBaseAndBasePlusJitter()
    {
        var sampler = CreateSut(new LatencyOptions { Base = TimeSpan.FromMilliseconds(10), Jitter = TimeSpan.FromMilliseconds(20) });

        var draws = Enumerable.Range(0, 1_000).Select(_ => sampler.Next()).ToList();

        Assert.All(draws, d => Assert.InRange(d, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(30)));
        Assert.InRange(draws.Average(d => d.TotalMilliseconds), 18, 22);
    }

    [Fact]
    public void LogNormal_HasTheJitterAsMedian()
    {
        var sampler = CreateSut(new LatencyOptions { Jitter = TimeSpan.FromMilliseconds(100), Distribution = LatencyDistribution.LogNormal, Sigma = 0.5 });

        var draws = Enumerable.Range(0, 2_001).Select(_ => sampler.Next().TotalMilliseconds).Order().ToList();

        Assert.InRange(draws[1_000], 90, 110);
        Assert.True(draws[^1] > 200, "a log-normal has a long right tail");
    }

    [Fact]
    public void SameSeed_GivesTheSameSequence()
    {
        var options = new LatencyOptions { Jitter = TimeSpan.FromSeconds(1), Distribution = LatencyDistribution.LogNormal };
        var a = CreateSut(options, seed: 3);
        var b = CreateSut(options, seed: 3);

        Assert.Equal(Enumerable.Range(0, 50).Select(_ => a.Next()), Enumerable.Range(0, 50).Select(_ => b.Next()));
    }
}
