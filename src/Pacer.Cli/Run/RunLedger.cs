using Pacer.Cli.Progress;

namespace Pacer.Cli.Run;

/// <summary>
/// What a run's results come to as they arrive: each is counted in its lane's tally (or among the
/// bad lines), kept among the recent ones for progress, handed to the sink, and may stop the run
/// (<c>--fail-fast</c>, or results that can no longer be written). Counts the requests still open,
/// so that the run knows when the last one has its result.
/// </summary>
internal sealed class RunLedger(IReadOnlyDictionary<string, LaneTally> tallies, bool failFast, TimeProvider time)
{
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One for the read loop itself, until it has read the last line.</summary>
    private long _open = 1;

    /// <summary>Lines that could not be sent, counted as a lane's failures are.</summary>
    public LaneTally BadLines { get; } = new();

    /// <summary>The last results, for progress.</summary>
    public RecentResults Recent { get; } = new(capacity: 5);

    /// <summary>Completes when the read loop has closed and every request it opened has its result.</summary>
    public Task AllDone => _allDone.Task;

    /// <summary>A request is in flight: its result will close it.</summary>
    public void Open() => Interlocked.Increment(ref _open);

    /// <summary>Records <paramref name="result"/>, writes it, and stops the run when it must.</summary>
    public void Finish(RunResult result, RunStop run)
    {
        (result.Lane is { } lane ? tallies[lane] : BadLines).Record(result, time.GetTimestamp());
        Recent.Add(result);
        bool stopNow = failFast && !result.Ok && !result.Cancelled && !run.Stopped;
        if (stopNow)
        {
            // Off this thread: the cancelled requests' results come back through this method.
            _ = run.Stop.CancelAsync();
        }

        run.Sink.Complete(result, opened: true);
        if (run.Sink.Failure is not null && !run.Abort.IsCancellationRequested)
        {
            // Results can no longer be written: a request sent now would have to be sent again by
            // --resume. Nothing more starts, and what waits or is in flight is cancelled.
            _ = run.Abort.CancelAsync();
            run.Engine.CancelWaiting();
        }
        else if (stopNow)
        {
            // What waits in a lane or for a retry has not started: it ends cancelled. Running requests finish.
            run.Engine.CancelWaiting();
        }
    }

    /// <summary>A request (or the read loop) is done.</summary>
    public void Close()
    {
        if (Interlocked.Decrement(ref _open) == 0)
        {
            _allDone.TrySetResult();
        }
    }
}
