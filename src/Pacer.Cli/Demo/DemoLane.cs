namespace Pacer.Cli.Demo;

/// <summary>One simulated provider of the demo: its lane limits and how its calls behave.</summary>
/// <param name="Name">The lane's name.</param>
/// <param name="Limits">The lane's limits.</param>
/// <param name="Share">Its share of the demo's jobs.</param>
/// <param name="MinLatency">Shortest simulated call.</param>
/// <param name="MaxLatency">Longest simulated call.</param>
/// <param name="RateLimitedRatio">Fraction of calls answered "429, retry after 1 s".</param>
internal sealed record DemoLane(string Name, LaneOptions Limits, double Share, TimeSpan MinLatency, TimeSpan MaxLatency, double RateLimitedRatio)
{
    public static IReadOnlyList<DemoLane> All { get; } =
    [
        new("openai", new LaneOptions { MaxConcurrency = 8, Rates = { RateLimit.PerSecond(40, burst: 5) } }, 0.4,
            TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(400), 0.03),
        new("anthropic", new LaneOptions { MaxConcurrency = 4, Rates = { RateLimit.PerSecond(20, burst: 2) } }, 0.3,
            TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), 0.02),
        new("search", new LaneOptions { MaxConcurrency = 16, Rates = { RateLimit.PerSecond(100, burst: 10) } }, 0.3,
            TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(80), 0),
    ];
}
