namespace Pacer.Simulator;

/// <summary>
/// Counts what the simulator sees, in total and per route, under one lock. Time is read under the
/// lock, so starts reach the sliding windows in order.
/// </summary>
internal sealed class StatsCollector
{
    private static readonly SimulatorRoute[] s_routes = Enum.GetValues<SimulatorRoute>();

    private readonly Lock _lock = new();
    private readonly SimulatorClock _clock;
    private readonly RouteCounters _total = new();
    private readonly RouteCounters[] _routes;

    /// <summary>Completed on the next change; made only while someone waits, so counting allocates nothing.</summary>
    private TaskCompletionSource? _changed;

    public StatsCollector(SimulatorClock clock)
    {
        _clock = clock;
        _routes = [.. s_routes.Select(_ => new RouteCounters())];
    }

    public void Begin(SimulatorRoute route)
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            TimeSpan now = _clock.Now;
            _total.Begin(now);
            _routes[(int)route].Begin(now);
            changed = TakeWaiterUnsynchronized();
        }

        changed?.TrySetResult();
    }

    public void End(SimulatorRoute route, VisitOutcome outcome, int statusCode, long tokens)
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            _total.End(outcome, statusCode, tokens);
            _routes[(int)route].End(outcome, statusCode, tokens);
            changed = TakeWaiterUnsynchronized();
        }

        changed?.TrySetResult();
    }

    public void Reset()
    {
        TaskCompletionSource? changed;
        lock (_lock)
        {
            _total.Reset();
            foreach (var counters in _routes)
            {
                counters.Reset();
            }

            changed = TakeWaiterUnsynchronized();
        }

        changed?.TrySetResult();
    }

    public SimulatorStats Snapshot()
    {
        lock (_lock)
        {
            return SnapshotUnsynchronized();
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for a snapshot, checking after every change.
    /// The condition runs outside the lock; a change between the snapshot and the wait completes
    /// the waiter registered with that snapshot, so none is missed.
    /// </summary>
    public async Task<SimulatorStats> WaitForAsync(Func<SimulatorStats, bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SimulatorStats snapshot;
            Task changed;
            lock (_lock)
            {
                snapshot = SnapshotUnsynchronized();
                _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed = _changed.Task;
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private SimulatorStats SnapshotUnsynchronized() => new()
    {
        Total = _total.Snapshot(),
        ByRoute = s_routes.ToDictionary(r => r, r => _routes[(int)r].Snapshot()),
    };

    private TaskCompletionSource? TakeWaiterUnsynchronized()
    {
        var changed = _changed;
        _changed = null;
        return changed;
    }
}
