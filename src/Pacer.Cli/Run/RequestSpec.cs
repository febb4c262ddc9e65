namespace Pacer.Cli.Run;

/// <summary>One request to send, read from one input line.</summary>
/// <param name="CostIsEstimate">Whether <paramref name="Cost"/> was estimated from the body (a lane with a token rate and no "cost" field): the answer's usage then corrects it.</param>
internal sealed record RequestSpec(
    Uri Url,
    HttpMethod Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Body,
    bool BodyIsJson,
    string Lane,
    int Priority,
    long Cost,
    bool CostIsEstimate = false);
