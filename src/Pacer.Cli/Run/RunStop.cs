namespace Pacer.Cli.Run;

/// <summary>What the requests of a run share to end it: its engine, its sink, and the two ways it stops.</summary>
/// <param name="Stop">Cancelled when nothing more may start: by <paramref name="Abort"/>, or by --fail-fast (requests in flight finish).</param>
/// <param name="Abort">Cancelled by a signal, or once results can no longer be written: requests in flight are cancelled too.</param>
internal sealed record RunStop(PacerEngine Engine, ResultSink Sink, CancellationTokenSource Stop, CancellationTokenSource Abort)
{
    /// <summary>
    /// Whether nothing more may start. Asks both sources: <see cref="Stop"/> hears of
    /// <see cref="Abort"/> through a callback, which may not have run yet.
    /// </summary>
    public bool Stopped => Stop.IsCancellationRequested || Abort.IsCancellationRequested;
}
