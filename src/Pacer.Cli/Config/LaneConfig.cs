namespace Pacer.Cli.Config;

/// <summary>One lane requests can travel in: its limits, and what its requests share (base URL, headers, retry policy, timeout).</summary>
internal sealed record LaneConfig(
    string Name,
    Uri? BaseUrl,
    LaneOptions Limits,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    LaneRetry Retry,
    TimeSpan? Timeout)
{
    /// <summary>Whether <paramref name="url"/> lies under this lane's base URL.</summary>
    public bool Covers(Uri url) => BaseUrl is { } baseUrl
        && (url.AbsoluteUri.StartsWith(baseUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase)
            || string.Equals(url.AbsoluteUri + "/", baseUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase));
}
