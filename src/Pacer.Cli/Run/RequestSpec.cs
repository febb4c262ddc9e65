namespace Pacer.Cli.Run;

/// <summary>One request to send, read from one input line.</summary>
internal sealed record RequestSpec(
    Uri Url,
    HttpMethod Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Body,
    bool BodyIsJson,
    string Lane,
    int Priority,
    long Cost);
