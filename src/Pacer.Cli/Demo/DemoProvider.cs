using Pacer.Cli.Config;
using Pacer.Simulator;

namespace Pacer.Cli.Demo;

/// <summary>One simulated provider of the demo: its API key and route, its hidden limits, and its share of the requests.</summary>
/// <param name="Name">The lane's name.</param>
/// <param name="Path">The simulator route the lane's requests go to.</param>
/// <param name="Header">The header that carries the API key.</param>
/// <param name="Key">The API key; the simulator keeps limits per key.</param>
/// <param name="Rps">Requests per second, the same for the simulator's hidden limit and the lane.</param>
/// <param name="Concurrency">Requests in progress at once, likewise.</param>
/// <param name="Share">Its share of the demo's requests.</param>
internal sealed record DemoProvider(string Name, string Path, string Header, string Key, int Rps, int Concurrency, double Share)
{
    public static IReadOnlyList<DemoProvider> All { get; } =
    [
        new("openai", "v1/chat/completions", "Authorization", "Bearer demo-openai", 40, 8, 0.4),
        new("anthropic", "v1/messages", "x-api-key", "demo-anthropic", 20, 4, 0.3),
        new("search", "echo", "Authorization", "Bearer demo-search", 60, 16, 0.3),
    ];

    /// <summary>The key as the simulator sees it.</summary>
    public string ApiKey => Key.StartsWith("Bearer ", StringComparison.Ordinal) ? Key["Bearer ".Length..] : Key;

    /// <summary>The simulator's hidden limit for this provider.</summary>
    public LimitRule Rule() => new() { ApiKey = ApiKey, Limits = { RequestsPerSecond = Rps, MaxConcurrency = Concurrency } };

    /// <summary>The lane told the true limits.</summary>
    public LaneConfig Lane(Uri baseAddress) => new(
        Name,
        baseAddress,
        LaneLimits.Build(Concurrency, Rps, null, 1, null, adaptive: false, LaneLimits.DefaultMargin),
        [new(Header, Key)],
        Retry: LaneRetry.Default with { Retries = 4 },
        Timeout: TimeSpan.FromSeconds(10));
}
