using System.Runtime.CompilerServices;

namespace Pacer;

public sealed partial class PacerEngine
{
    private static readonly TimerCallback s_onRetryWake = static state => ((PacerEngine)state!).OnRetryWake();

    /// <summary>The jobs waiting for their retry; a cancelled one is dropped when its time comes.</summary>
    private readonly RetryQueue _retries;

    /// <summary>
    /// Ends one attempt: gives back its slots, then finishes the job or parks it for a retry. An
    /// attempt the job has left behind (it was cancelled, or timed out, while the work ran on) only
    /// gives back its slots. Called outside the lock, once per attempt.
    /// </summary>
    /// <param name="job">The job whose attempt ended.</param>
    /// <param name="attempt">The attempt's token; null when the job was cancelled before the attempt began.</param>
    /// <param name="error">Why it failed, or null.</param>
    /// <param name="completedSynchronously">
    /// The work returned a completed result at once: the attempt took no time, so its start time
    /// stands for now and the clock is read once per job instead of twice.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void OnAttemptEnded(Job job, AttemptToken? attempt, Exception? error, bool completedSynchronously = false)
    {
        FailureVerdict verdict = default;
        RetryPolicy policy = job.Options.Retry ?? _options.DefaultRetry;

        // The job is still on this attempt unless cancelling or a timeout took the token from it.
        if (error is not null && attempt is not null && ReferenceEquals(job.ReadToken(), attempt))
        {
            verdict = Classify(policy, error);
        }

        Job? chain;
        bool final = false;
        bool retrying = false;
        List<LaneEventArgs>? laneEvents = null;
        List<Job>? failedFast = null;
        lock (_lock)
        {
            // A stale time is the safe side for every limit: it frees nothing early.
            long now = completedSynchronously ? job.Timestamp : Now;
            bool current = attempt is not null && ReferenceEquals(job.Token, attempt);
            ReleaseUnsynchronized(job, attempt, current, now);
            if (current && job.Lane.HasResilience)
            {
                RecordOutcomeUnsynchronized(job, attempt!, error is null ? null : verdict.Kind, now, ref laneEvents, ref failedFast);
            }

            if (!current)
            {
                // Left behind: the job is final or went on without this attempt; only the slots were left.
            }
            else if (error is null)
            {
                FinishUnsynchronized(job, JobState.Succeeded, now);
                final = true;
            }
            else
            {
                job.Error = error;
                retrying = RetryOrFailUnsynchronized(job, policy, verdict.IsRetryable, verdict.RetryAfter, now);
                final = !retrying;
            }

            chain = PumpUnsynchronized(job.Lane.Root, now);
        }

        if (final)
        {
            OnFinal(job);
            if (job is PostedJob posted)
            {
                // Ended, released, in no queue, and nobody holds it: ready for the next post on this thread.
                posted.Reset();
                StartQueue.ForThisThread.Spare ??= posted;
            }
        }
        else if (retrying)
        {
            _metrics.OnRetry(job);
            JobRetrying?.Invoke(this, new JobEventArgs(job, this));
        }

        if (failedFast is not null)
        {
            failedFast.ForEach(OnFinal);
        }

        RaiseLaneEvents(laneEvents);

        RunChain(chain);
    }

    private static FailureVerdict Classify(RetryPolicy policy, Exception error)
    {
        if (policy.Classify is not { } classify)
        {
            return FailureClassifier.Default(error);
        }

        try
        {
            return classify(error);
        }
        catch (Exception classifierError) when (classifierError is not OutOfMemoryException)
        {
            // A classifier that throws cannot say "retry"; the job fails with the original error.
            return FailureVerdict.Permanent;
        }
    }

    /// <summary>
    /// Gives back the attempt's slots along the path, and for the job's current attempt its token to
    /// the pool. A left-behind attempt's token was taken from the job (and cancelled) already.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReleaseUnsynchronized(Job job, AttemptToken? attempt, bool current, long now)
    {
        double seconds = (double)(now - job.Timestamp) / TimestampFrequency;
        for (Lane? l = job.Lane; l is not null; l = l.Parent)
        {
            l.Running--;
            if (current)
            {
                l.Stats.RecordLatency(seconds);
            }

            if (l.Shared is { SharesSlots: true } slots && slots.Leases.Count > slots.SlotsWanted(l, now))
            {
                RequestSlotsUnsynchronized(l, slots); // slots this process has no work for go back to the others
            }
        }

        if (!current || attempt is null)
        {
            return;
        }

        job.Token = null;
        _running.Remove(attempt);
        attempt.Job = null;
        if (attempt.TimeoutAt != long.MaxValue)
        {
            attempt.TimeoutAt = long.MaxValue;
            attempt.Timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        if (attempt.Source.TryReset())
        {
            _tokenPool.Push(attempt);
        }
    }

    /// <summary>
    /// The one decision after an attempt that failed, however it ended (an error and its verdict, or a
    /// timeout): the job waits for its retry, or it fails. A retry needs a retryable failure, an attempt
    /// left, an engine still running, and a wait the service asks for within
    /// <see cref="RetryPolicy.MaxRetryAfter"/>; the wait is that, or the policy's backoff.
    /// </summary>
    /// <returns>Whether the job waits for a retry; otherwise it is final, failed.</returns>
    private bool RetryOrFailUnsynchronized(Job job, RetryPolicy policy, bool retryable, TimeSpan? retryAfter, long now)
    {
        if (retryable && job.Attempt < policy.MaxAttempts && _state != EngineState.Disposed && retryAfter.GetValueOrDefault() <= policy.MaxRetryAfter)
        {
            TimeSpan delay = retryAfter ?? policy.Backoff(job.Attempt, _options.Random!.NextDouble());
            ScheduleRetryUnsynchronized(job, now + ToTimestampTicks(delay), now);
            return true;
        }

        FinishUnsynchronized(job, JobState.Failed, now);
        return false;
    }

    private void ScheduleRetryUnsynchronized(Job job, long notBefore, long now)
    {
        JobLifecycle.WaitingToRetryUnsynchronized(job);
        _retries.AddUnsynchronized(job, notBefore, now, ToTimerDue);
    }

    /// <summary>Moves every due retry back into its lane queue, then starts what fits.</summary>
    private void OnRetryWake()
    {
        Job? chain = null;
        Job? tail = null;
        lock (_lock)
        {
            long now = Now;
            _retries.WokeUnsynchronized();
            var roots = new HashSet<Lane>();
            while (_retries.TakeDueUnsynchronized(now) is { } job)
            {
                JobLifecycle.RequeuedUnsynchronized(job);
                job.Timestamp = now;
                job.Lane.Queue.Enqueue(job);
                roots.Add(job.Lane.Root);
            }

            foreach (Lane root in roots)
            {
                Job? started = PumpUnsynchronized(root, now);
                while (started is not null)
                {
                    Job next = started.Next!;
                    Append(ref chain, ref tail, started);
                    started = next;
                }
            }

            _retries.ArmUnsynchronized(now, ToTimerDue);
        }

        RunChain(chain);
    }

    /// <summary>
    /// Ends a job in <paramref name="final"/> (see <see cref="JobLifecycle.FinalUnsynchronized"/>) and
    /// books it with the engine. The caller reports it with <see cref="OnFinal"/> after unlocking.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FinishUnsynchronized(Job job, JobState final, long now)
    {
        JobLifecycle.FinalUnsynchronized(job, final, now);
        job.Timestamp = now; // from here on: when the job became final
        _recent.Add(job, now);
        if (job.Options.IdempotencyKey is { } key && _idempotency.TryGetValue(key, out Job? owner) && ReferenceEquals(owner, job))
        {
            _idempotency.Remove(key);
        }

        if (--_live == 0 && _drained is not null)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Reports a final job to its owner, to metrics and to event handlers. Outside the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnFinal(Job job)
    {
        job.NotifyFinal();
        _metrics.OnFinal(job);
        JobFinished?.Invoke(this, new JobEventArgs(job, this));
    }

    /// <summary>Replaces the running attempt's cost estimate with its real cost on every cost gate of its path.</summary>
    /// <remarks>Meant to be called once per attempt: each call corrects by actual − estimate.</remarks>
    internal void AdjustCost(Job job, long actualCost)
    {
        Job? chain = null;
        lock (_lock)
        {
            long delta = actualCost - job.Options.Cost;
            if (job.State != JobState.Running || delta == 0)
            {
                return;
            }

            long now = Now;
            for (Lane? l = job.Lane; l is not null; l = l.Parent)
            {
                l.Stats.CostSum += delta;
                if (l.Shared is { HasCostRates: true } shared)
                {
                    shared.PendingAdjustment += delta; // told to the store with the next reservation, or at once
                    RequestStartsUnsynchronized(l, shared);
                }
                else
                {
                    foreach (RateGate gate in l.CostRates)
                    {
                        gate.Adjust(now, delta);
                    }

                    l.Quota?.Adjust(delta);
                }
            }

            if (delta < 0)
            {
                // A refund may let waiting jobs start now rather than at the next wake.
                chain = PumpUnsynchronized(job.Lane.Root, now);
            }
        }

        RunChain(chain);
    }
}
