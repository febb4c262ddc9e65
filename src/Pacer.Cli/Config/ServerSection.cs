namespace Pacer.Cli.Config;

/// <summary>The <c>server:</c> section of a pacer.yaml, which only <c>pacer serve</c> reads.</summary>
/// <param name="ApiKey">The key every request but the health check must give (<c>apiKey</c>, usually <c>${ENV}</c>), or null.</param>
internal sealed record ServerSection(string? ApiKey);
