namespace Pacer.Cli.Config;

/// <summary>A lane's base URL: with <c>${NAME}</c> replaced and its path ending in <c>/</c>, and as <c>pacer validate</c> shows it (as written, secrets masked).</summary>
internal sealed record LaneBaseUrl(Uri Url, string Shown);
