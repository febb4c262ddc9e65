namespace Pacer;

/// <summary>
/// Lanes whose limits live in an <see cref="ILaneState"/>: starts are reserved from the store in
/// small grants ahead of need, outside the lock, and the pump uses them under it.
/// </summary>
public sealed partial class PacerEngine
{
    private static readonly TimeSpan s_firstStoreRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_longestStoreRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_shortestStoreWait = TimeSpan.FromMilliseconds(1);

    private readonly CancellationTokenSource _sharedStop = new();

    /// <summary>
    /// Where refills of reserved starts run; default the thread pool. Tests on fake time collect
    /// them and run them on their own thread between steps of time, so that nothing races the clock.
    /// </summary>
    internal Action<Action>? RefillScheduler { get; set; }

    /// <summary>
    /// Starts a refill of <paramref name="lane"/>'s reserved starts on the thread pool, unless one
    /// runs; also when the lane has only a cost adjustment to tell the store.
    /// </summary>
    private void RequestStartsUnsynchronized(Lane lane, SharedLane shared)
    {
        if (shared.Refilling || _state == EngineState.Disposed || (shared.Wanted(lane) <= 0 && shared.PendingAdjustment == 0 && shared.Problem is null))
        {
            return;
        }

        shared.Refilling = true;
        if (RefillScheduler is { } schedule)
        {
            schedule(() => _ = RefillStartsAsync(lane));
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Engine.RefillStartsAsync(s), lane, preferLocal: false);
    }

    /// <summary>
    /// Asks the store for starts while the lane wants them, for the costs of the jobs they are for,
    /// with the lane's pending cost adjustment. An unreachable store stops the lane's
    /// starts (it holds none to use) and is asked again with a growing wait, and the lane says so
    /// in its snapshot and a <see cref="LaneChanged"/> event, and again when it is back.
    /// </summary>
    private async Task RefillStartsAsync(Lane lane)
    {
        TimeSpan retry = s_firstStoreRetry;
        CancellationToken stop = _sharedStop.Token;
        var costs = new List<long>();
        while (true)
        {
            SharedLane shared;
            long adjustment;
            lock (_lock)
            {
                shared = lane.Shared!;
                int wanted = _state == EngineState.Disposed ? 0 : Math.Max(0, shared.Wanted(lane));
                // While the store is down the lane asks on (with nothing to reserve, a bare call) until it answers.
                if ((wanted == 0 && shared.PendingAdjustment == 0 && shared.Problem is null) || _state == EngineState.Disposed)
                {
                    shared.Refilling = false;
                    return;
                }

                shared.Costs(lane, wanted, _agingTicks, costs);
                adjustment = shared.PendingAdjustment;
                shared.PendingAdjustment = 0;
            }

            long before = Now;
            StartGrant grant;
            try
            {
                var request = new StartRequest(shared.Rates, costs, LaneStateArguments.Micros(SharedLane.Horizon)) { CostAdjustment = adjustment, Quota = shared.Quota };
                grant = await shared.State.ReserveStartsAsync(lane.Name, request, stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                lock (_lock)
                {
                    shared.PendingAdjustment += adjustment; // told with the next call that reaches the store
                }

                OnSharedStateProblem(lane, shared, ex);
                if (!await WaitAsync(() => shared.Refilling = false, retry, stop).ConfigureAwait(false))
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, s_longestStoreRetry.Ticks));
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = s_firstStoreRetry;
            long after = Now;
            Job? chain;
            List<LaneEventArgs>? events = null;
            TimeSpan wait = TimeSpan.Zero;
            lock (_lock)
            {
                if (shared.Restored())
                {
                    (events = []).Add(LaneEventUnsynchronized(lane, LaneChange.SharedStateRestored, after));
                }

                shared.Add(grant, costs, before, after, this);
                if (grant.Starts.Count == 0 && costs.Count > 0)
                {
                    // Spent beyond the first start's reach: ask again when the next comes within it.
                    wait = TimeSpan.FromMicroseconds(grant.NextStart - SharedStartMath.FirstReachMicroseconds);
                    wait = wait > s_shortestStoreWait ? wait : s_shortestStoreWait;
                }
                if (shared.SharesSlots && shared.Leases.Count < shared.SlotsWanted(lane, after))
                {
                    RequestSlotsUnsynchronized(lane, shared); // a slot ready before the start is due
                }
                chain = _state == EngineState.Disposed ? null : PumpUnsynchronized(lane, Now);
            }

            RaiseLaneEvents(events);
            RunChain(chain);
            if (wait > TimeSpan.Zero && !await WaitAsync(() => shared.Refilling = false, wait, stop).ConfigureAwait(false))
            {
                return;
            }

            lock (_lock)
            {
                if (!shared.Low)
                {
                    shared.Refilling = false;
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The store failed: the lane says so, once, and either waits or, with a local share, starts
    /// at once what that share allows.
    /// </summary>
    private void OnSharedStateProblem(Lane lane, SharedLane shared, Exception ex)
    {
        List<LaneEventArgs>? events = null;
        Job? chain = null;
        lock (_lock)
        {
            long now = Now;
            if (shared.Lost(ex, now, this))
            {
                (events = []).Add(LaneEventUnsynchronized(lane, LaneChange.SharedStateLost, now));
                chain = shared.Local is not null && _state != EngineState.Disposed ? PumpUnsynchronized(lane, now) : null;
            }
        }

        RaiseLaneEvents(events);
        RunChain(chain);
    }

    /// <summary>Waits <paramref name="wait"/> on the engine's clock; false when the engine stops first.</summary>
    private async Task<bool> WaitAsync(Action onStop, TimeSpan wait, CancellationToken stop)
    {
        var done = new TaskCompletionSource<bool>();
        using CancellationTokenRegistration cancel = stop.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(false), done);
        using ITimer timer = TimeProvider.CreateTimer(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(true), done, wait, Timeout.InfiniteTimeSpan);
        bool elapsed = await done.Task.ConfigureAwait(false);
        lock (_lock)
        {
            if (!elapsed)
            {
                onStop();
            }
        }

        return elapsed;
    }
}
