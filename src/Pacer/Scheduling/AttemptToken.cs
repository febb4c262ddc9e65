namespace Pacer;

/// <summary>
/// The cancellation of one running attempt, and its place in the engine's running set. Pooled:
/// a source that was never cancelled is reset and handed to the next attempt.
/// </summary>
internal sealed class AttemptToken(CancellationTokenSource source)
{
    public CancellationTokenSource Source { get; } = source;

    /// <summary>The job whose attempt holds the token, while it runs.</summary>
    public Job? Job;

    /// <summary>Slot in the engine's running set, or -1.</summary>
    public int Slot = -1;
}
