namespace Pacer.Cli.Config;

/// <summary>One lane of <c>pacer.yaml</c>: what the file sets in it, what it ends up with, and where each value came from.</summary>
/// <param name="Own">What the lane sets itself, its limits among them.</param>
/// <param name="Parent">The lane it sits under (<c>openai</c> for <c>openai/gpt-4o</c>), or null.</param>
/// <param name="Shared">Its base URL, headers, retry policy and timeout, its own or inherited.</param>
/// <param name="Config">The lane as <c>pacer run</c> uses it.</param>
internal sealed record ConfiguredLane(LaneSettings Own, string? Parent, LaneShared Shared, LaneConfig Config);
