namespace Pacer;

/// <summary>Where the whole engine stands.</summary>
/// <param name="At">When the snapshot was taken.</param>
/// <param name="Lanes">Every lane, parents before children.</param>
/// <param name="RecentCompletions">The last completions, newest first.</param>
public sealed record EngineSnapshot(DateTimeOffset At, IReadOnlyList<LaneSnapshot> Lanes, IReadOnlyList<CompletionRecord> RecentCompletions);
