using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Pacer;

public sealed partial class PacerEngine
{
    private static readonly TimerCallback s_onLaneWake = static state => ((Lane)state!).Engine.OnLaneWake((Lane)state!, fromPreciseWaker: false);

    /// <summary>
    /// The longest due time the engine gives a timer. Timers throw beyond about 49.7 days (2³² − 2 ms),
    /// yet a lane deep in debt (a large reported cost on a per-day rate) may wait longer: its timer
    /// then fires early, and the callback sees that and sets it again.
    /// </summary>
    private static readonly TimeSpan s_longestTimerDue = TimeSpan.FromDays(1);

    /// <summary>Starts what can start in one lane's own queue (after a job joined it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Job? PumpLaneUnsynchronized(Lane lane, long now)
    {
        if (lane.Subtree.Length > 1 || lane.Parent is not null)
        {
            // Sub-lanes and siblings compete for shared slots: pick across the whole tree.
            return PumpUnsynchronized(lane.Root, now);
        }

        Job? head = null;
        Job? tail = null;
        while (lane.Queue.Count > 0)
        {
            Job? job = lane.Queue.Peek(_agingTicks);
            if (job is null || !CanStartUnsynchronized(lane, job, now))
            {
                break;
            }

            lane.Queue.RemovePeeked(job);
            StartUnsynchronized(job, now);
            Append(ref head, ref tail, job);
        }

        return head;
    }

    /// <summary>
    /// Starts, best first, every job in <paramref name="scope"/>'s subtree that fits now. A lane
    /// whose head cannot start is passed over, so it never holds back another lane (rule 3).
    /// </summary>
    private Job? PumpUnsynchronized(Lane scope, long now)
    {
        Lane[] lanes = scope.Subtree;
        if (lanes.Length == 1 && scope.Parent is null)
        {
            return PumpLaneUnsynchronized(scope, now);
        }

        Job? head = null;
        Job? tail = null;
        while (true)
        {
            Job? best = null;
            Int128 bestKey = default;
            foreach (Lane lane in lanes)
            {
                if (lane.Queue.Count == 0)
                {
                    continue;
                }

                Job? candidate = lane.Queue.Peek(_agingTicks);
                if (candidate is null || !CanStartUnsynchronized(lane, candidate, now))
                {
                    continue;
                }

                Int128 key = LaneQueue.Key(candidate, _agingTicks);
                if (best is null || key > bestKey)
                {
                    best = candidate;
                    bestKey = key;
                }
            }

            if (best is null)
            {
                return head;
            }

            best.Lane.Queue.RemovePeeked(best);
            StartUnsynchronized(best, now);
            Append(ref head, ref tail, best);
        }
    }

    /// <summary>
    /// Whether <paramref name="job"/> fits in its lane and every ancestor now. When a rate or a quota
    /// says no, the blocking lane's timer is set for the moment it will say yes; a full lane needs
    /// no timer, since the next release pumps it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CanStartUnsynchronized(Lane lane, Job job, long now)
    {
        long cost = job.Options.Cost;
        for (Lane? l = lane; l is not null; l = l.Parent)
        {
            if (!l.HasConcurrencyRoom)
            {
                return false;
            }

            if (l.PausedUntil > now)
            {
                ArmWakeUnsynchronized(l, l.PausedUntil, now);
                return false;
            }

            if (l.Circuit is { } circuit && !circuit.AllowsStart(now, out long circuitWake))
            {
                if (circuitWake != long.MaxValue)
                {
                    ArmWakeUnsynchronized(l, circuitWake, now);
                }

                return false;
            }

            if (l.Shared is { Local: null } shared)
            {
                if (!shared.CanStart(now, cost, out long sharedWake))
                {
                    if (sharedWake != long.MaxValue)
                    {
                        ArmWakeUnsynchronized(l, sharedWake, now);
                    }

                    RequestStartsUnsynchronized(l, shared);
                    return false;
                }
            }
            else
            {
                // The lane's own rates, or its share of them while its shared store is down.
                foreach (RateGate gate in l.Shared?.Local?.Rates ?? l.Rates)
                {
                    if (!gate.CanSpend(now, 1))
                    {
                        ArmWakeUnsynchronized(l, gate.NextAllowed(now, 1), now);
                        return false;
                    }
                }
            }

            // A shared concurrency slot is asked for only once a start is at hand: a process holds no
            // slot another could use while it waits for its turn at the rate.
            if (l.Shared is { SharesSlots: true } slots)
            {
                if (slots.Local is { } local)
                {
                    if (l.Running >= local.MaxConcurrency)
                    {
                        return false;
                    }
                }
                else if (l.Running >= slots.Leases.Count)
                {
                    RequestSlotsUnsynchronized(l, slots);
                    return false;
                }
            }

            if (cost > 0 && (l.Shared is null ? l.CostRates : l.Shared.Local?.CostRates) is { } costGates)
            {
                foreach (RateGate gate in costGates)
                {
                    if (!gate.CanSpend(now, cost))
                    {
                        ArmWakeUnsynchronized(l, gate.NextAllowed(now, cost), now);
                        return false;
                    }
                }
            }

            // A shared lane's quota is the store's (kept with its starts), unless it runs alone meanwhile.
            if (l.Quota is { } quota && l.Shared is null or { Local: not null } && !quota.CanSpend(cost))
            {
                ArmWakeUnsynchronized(l, now + Math.Max(1, ToTimestampTicks(quota.UntilRefill())), now);
                return false;
            }
        }

        return true;
    }

    /// <summary>Spends the job's share of every limit on its path and marks it running.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StartUnsynchronized(Job job, long now)
    {
        long cost = job.Options.Cost;
        job.Lane.Adaptive?.OnStarted(now, job.Lane.Stats.Attempts + 1, job.Lane.Running);
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            l.Running++;
            l.Stats.Attempts++;
            l.Stats.CostSum += cost;
            if (l.Shared is { Local: null } shared)
            {
                shared.Take(cost);
                if (shared.Low)
                {
                    RequestStartsUnsynchronized(l, shared);
                }
            }
            else
            {
                foreach (RateGate gate in l.Shared?.Local?.Rates ?? l.Rates)
                {
                    gate.Spend(now, 1);
                }
            }

            if (cost > 0 && (l.Shared is null ? l.CostRates : l.Shared.Local?.CostRates) is { } costGates)
            {
                foreach (RateGate gate in costGates)
                {
                    gate.Spend(now, cost);
                }
            }

            if (l.Shared is null or { Local: not null })
            {
                l.Quota?.Spend(cost);
            }

            l.Circuit?.OnStarted();
        }

        JobLifecycle.StartedUnsynchronized(job);
        job.Attempt++;
        job.Timestamp = now;
        AttemptToken token = _tokenPool.Count > 0 ? _tokenPool.Pop() : new AttemptToken(this, new CancellationTokenSource(Timeout.InfiniteTimeSpan, TimeProvider));
        token.Job = job;
        token.LaneAttempts = job.Lane.Stats.Attempts;
        job.Token = token;
        _running.Add(token);
        Debug.Assert(job.Lane.MaxConcurrency is not { } max || job.Lane.Running <= max);
    }

    /// <summary>Sets <paramref name="lane"/>'s timer to wake at <paramref name="at"/> unless it wakes sooner.</summary>
    private void ArmWakeUnsynchronized(Lane lane, long at, long now)
    {
        if (at >= lane.WakeAt)
        {
            return;
        }

        lane.WakeAt = at;
        if (_waker is not null && at - now < _preciseHorizonTicks)
        {
            // On the system clock, near starts go to the precise waker: a timer would start them late.
            _waker.Schedule(lane, at);
            return;
        }

        lane.WakeTimer ??= TimeProvider.CreateTimer(s_onLaneWake, lane, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        long due = _waker is null ? Math.Max(at - now, 1) : at - now - (_preciseHorizonTicks / 2);
        lane.WakeTimer.Change(ToTimerDue(due), Timeout.InfiniteTimeSpan);
    }

    /// <summary>A timer's due time for a wait of <paramref name="timestampTicks"/>, at most <see cref="s_longestTimerDue"/>.</summary>
    private TimeSpan ToTimerDue(long timestampTicks)
    {
        TimeSpan due = ToTimeSpan(timestampTicks);
        return due < s_longestTimerDue ? due : s_longestTimerDue;
    }

    /// <summary>
    /// A lane's wake time came: start what fits. A timer that fired before the wake time (it was set
    /// for a far wake, cut to its longest due time, or the wake moved) sets it again instead.
    /// </summary>
    internal void OnLaneWake(Lane lane, bool fromPreciseWaker)
    {
        Job? chain;
        lock (_lock)
        {
            long now = Now;
            if (lane.WakeAt > now)
            {
                if (!fromPreciseWaker && lane.WakeAt != long.MaxValue)
                {
                    long at = lane.WakeAt;
                    lane.WakeAt = long.MaxValue;
                    ArmWakeUnsynchronized(lane, at, now);
                }

                // A stale precise request: the lane's live wake is still queued in the waker, or on its timer.
                return;
            }

            lane.WakeAt = long.MaxValue;
            chain = PumpUnsynchronized(lane, now);
        }

        RunChain(chain);
    }

    private static void Append(ref Job? head, ref Job? tail, Job job)
    {
        job.Next = null;
        if (tail is null)
        {
            head = job;
        }
        else
        {
            tail.Next = job;
        }

        tail = job;
    }

    /// <summary>
    /// Runs the attempts of a chain of started jobs on this thread. Re-entrant calls (a job that
    /// completes synchronously starts the next) append to the running loop instead of recursing,
    /// so a million synchronous jobs never grow the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunChain(Job? chain)
    {
        if (chain is null)
        {
            return;
        }

        StartQueue starts = StartQueue.ForThisThread;
        starts.Append(chain);
        if (starts.Running)
        {
            return;
        }

        starts.Running = true;
        try
        {
            while (starts.TryTake(out Job? job))
            {
                job.Lane.Engine.BeginAttempt(job);
            }
        }
        finally
        {
            starts.Running = false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BeginAttempt(Job job)
    {
        AttemptToken? attempt = job.ReadToken();
        if (attempt is null)
        {
            // Cancelled between being started and running: give the slot back without running.
            OnAttemptEnded(job, null, new OperationCanceledException("The job was cancelled before its attempt began."));
            return;
        }

        if (job.Options.Timeout is { } timeout)
        {
            attempt.TimeoutAt = Now + ToTimestampTicks(timeout);
            attempt.Timer ??= TimeProvider.CreateTimer(s_onAttemptTimeout, attempt, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            attempt.Timer.Change(ToTimerDue(ToTimestampTicks(timeout)), Timeout.InfiniteTimeSpan);
        }

        OnStarted(job);
        job.RunAttempt(this, attempt);
    }
}
