namespace Pacer;

/// <summary>
/// One running attempt: its cancellation, its place in the engine's running set, and its timeout.
/// Pooled: a source that was never cancelled is reset and handed to the next attempt, timer and all.
/// </summary>
internal sealed class AttemptToken(PacerEngine engine, CancellationTokenSource source)
{
    public PacerEngine Engine { get; } = engine;

    public CancellationTokenSource Source { get; } = source;

    /// <summary>The job whose attempt holds the token, while it runs.</summary>
    public Job? Job;

    /// <summary>The lane's attempts started, this one included, when it started: hints it brings back tell nothing of later ones.</summary>
    public long LaneAttempts;

    /// <summary>Slot in the engine's running set, or -1.</summary>
    public int Slot = -1;

    /// <summary>Fires at the attempt's timeout; made on the first attempt with a timeout.</summary>
    public ITimer? Timer;

    /// <summary>When the attempt times out (a timestamp), or <see cref="long.MaxValue"/>.</summary>
    public long TimeoutAt = long.MaxValue;
}
