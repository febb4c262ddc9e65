namespace Pacer;

/// <summary>
/// The concurrency of shared lanes: the slots this process holds as leases in the lane's
/// <see cref="ILaneState"/>, taken as work arrives, renewed while held, given back when the
/// process has no work for them. A keeper per lane does it outside the lock.
/// </summary>
public sealed partial class PacerEngine
{
    /// <summary>How often a lane short of slots asks the store again while other processes hold them.</summary>
    private static readonly TimeSpan s_slotPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>How often a keeper looks again while its lane holds slots (to give back those it no longer needs, and renew).</summary>
    private static readonly TimeSpan s_slotLook = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a keeper looks again while its lane holds starts: one may come within <see cref="SharedLane.SlotLead"/>.</summary>
    private static readonly TimeSpan s_slotLookSoon = TimeSpan.FromMilliseconds(10);

    /// <summary>Starts the lane's slot keeper, unless it runs.</summary>
    private void RequestSlotsUnsynchronized(Lane lane, SharedLane shared)
    {
        if (shared.Keeping || _state == EngineState.Disposed)
        {
            return;
        }

        shared.Keeping = true;
        if (RefillScheduler is { } schedule)
        {
            schedule(() => _ = KeepSlotsAsync(lane, shared));
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Engine.KeepSlotsAsync(s, s.Shared!), lane, preferLocal: false);
    }

    /// <summary>
    /// Holds as many slots as the lane has work for (<see cref="SharedLane.SlotsWanted"/>): takes
    /// more while short, gives back those beyond, renews the rest every third of the lease time, and
    /// ends when the lane holds none and wants none. When the engine is disposed it gives all back.
    /// </summary>
    private async Task KeepSlotsAsync(Lane lane, SharedLane shared)
    {
        TimeSpan retry = s_firstStoreRetry;
        CancellationToken stop = _sharedStop.Token;
        while (true)
        {
            string[] acquire = [];
            string[] release = [];
            string[] renew = [];
            int max;
            Job? idle = null;
            bool done = false;
            lock (_lock)
            {
                if (_state == EngineState.Disposed)
                {
                    shared.Keeping = false; // DisposeAsync gives the leases back
                    return;
                }

                max = lane.MaxConcurrency ?? int.MaxValue;
                int desired = !ReferenceEquals(lane.Shared, shared) || !shared.SharesSlots ? 0 : shared.SlotsWanted(lane, Now);
                if (shared.Leases.Count < desired)
                {
                    acquire = [.. Enumerable.Range(0, desired - shared.Leases.Count).Select(_ => shared.NewLease())];
                }
                else if (shared.Leases.Count > desired)
                {
                    // Only leases no attempt runs in: Running never exceeds the leases held.
                    int spare = Math.Max(0, Math.Min(shared.Leases.Count - desired, shared.Leases.Count - lane.Running));
                    release = [.. shared.Leases.GetRange(shared.Leases.Count - spare, spare)];
                    shared.Leases.RemoveRange(shared.Leases.Count - spare, spare);
                }

                if (shared.Leases.Count > 0 && Now - shared.RenewedAt >= ToTimestampTicks(shared.LeaseTime / 3))
                {
                    renew = [.. shared.Leases];
                    shared.RenewedAt = Now;
                }

                if (acquire.Length == 0 && release.Length == 0 && renew.Length == 0 && shared.Leases.Count == 0)
                {
                    // Nothing to hold: a start that was at hand may have run out meanwhile, so the
                    // lane looks again (and asks for starts) rather than wait for a wake nobody set.
                    shared.Keeping = false;
                    idle = PumpUnsynchronized(lane, Now);
                    done = true;
                }
            }

            if (done)
            {
                RunChain(idle);
                return;
            }

            int taken = 0;
            int renewed = renew.Length;
            try
            {
                if (release.Length > 0)
                {
                    await shared.State.ReleaseSlotsAsync(lane.Name, release, stop).ConfigureAwait(false);
                }

                if (renew.Length > 0)
                {
                    renewed = await shared.State.RenewSlotsAsync(lane.Name, renew, shared.LeaseTime, stop).ConfigureAwait(false);
                }

                if (acquire.Length > 0)
                {
                    taken = await shared.State.AcquireSlotsAsync(lane.Name, max, acquire, shared.LeaseTime, stop).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                OnSharedStateProblem(lane, shared, ex);
                if (!await WaitAsync(() => shared.Keeping = false, retry, stop).ConfigureAwait(false))
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, s_longestStoreRetry.Ticks));
                continue;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                lock (_lock)
                {
                    shared.Keeping = false;
                }

                return;
            }

            retry = s_firstStoreRetry;
            Job? chain = null;
            List<LaneEventArgs>? events = null;
            bool shortOfSlots;
            bool startsHeld;
            lock (_lock)
            {
                if (shared.Restored())
                {
                    (events = []).Add(LaneEventUnsynchronized(lane, LaneChange.SharedStateRestored, Now));
                }

                if (renewed < renew.Length)
                {
                    // Some leases ran out while this process was away (stalled past the lease time):
                    // the store may have given them to others. Hold only what the store still counts.
                    shared.Leases.RemoveRange(0, Math.Min(shared.Leases.Count, renew.Length - renewed));
                }

                shared.Leases.AddRange(acquire.Take(taken));
                if (taken > 0 && shared.Leases.Count == taken)
                {
                    shared.RenewedAt = Now;
                }

                shortOfSlots = taken < acquire.Length;
                startsHeld = shared.Count > 0;
                if (taken > 0 && _state != EngineState.Disposed)
                {
                    chain = PumpUnsynchronized(lane, Now);
                }
            }

            RaiseLaneEvents(events);
            RunChain(chain);
            if (!await WaitAsync(() => shared.Keeping = false, shortOfSlots ? s_slotPoll : startsHeld ? s_slotLookSoon : s_slotLook, stop).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Gives back every concurrency lease the engine's shared lanes hold, as the engine is disposed; a store that does not answer keeps them until their lease time runs out.</summary>
    private async ValueTask ReleaseLeasesAsync(List<(Lane Lane, SharedLane Shared, string[] Leases)> held)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider);
        foreach ((Lane lane, SharedLane shared, string[] leases) in held)
        {
            try
            {
                await shared.State.ReleaseSlotsAsync(lane.Name, leases, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Best effort: the leases run out by themselves.
            }
        }
    }
}
