namespace Pacer.Cli.Config;

/// <summary>A header a lane's requests carry: its value with <c>${NAME}</c> replaced, and as <c>pacer validate</c> shows it (as written, credentials masked).</summary>
internal sealed record LaneHeader(string Name, string Value, string Shown);
