namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>Cancels every job not yet final. The engine keeps taking new jobs.</summary>
    public void CancelAll() => CancelMany(TakeWaiting(includeRunning: true));

    /// <summary>
    /// Cancels every job that is not running an attempt now: those queued in their lane and those
    /// waiting to retry. Running attempts go on and end as they end; one that fails and would retry
    /// waits for its retry again, where the next call finds it. The engine keeps taking new jobs.
    /// </summary>
    public void CancelWaiting() => CancelMany(TakeWaiting(includeRunning: false));

    /// <summary>Empties the lane queues and the retry queue, and lists their jobs (and the running ones when asked).</summary>
    private List<Job> TakeWaiting(bool includeRunning)
    {
        var jobs = new List<Job>();
        lock (_lock)
        {
            foreach (Lane lane in _lanes.Values)
            {
                for (Job? job = lane.Queue.DrainAll(); job is not null;)
                {
                    Job? next = job.Next;
                    job.Next = null;
                    jobs.Add(job);
                    job = next;
                }
            }

            jobs.AddRange(_retries.Jobs);
            _retries.ClearUnsynchronized();
            if (includeRunning)
            {
                _running.CopyTo(jobs);
            }
        }

        return jobs;
    }

    /// <summary>
    /// Stops taking new jobs and completes when every job submitted so far is final.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the jobs go on).</param>
    /// <returns>A task that completes when the engine is idle.</returns>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        Task drained;
        lock (_lock)
        {
            if (_state == EngineState.Running)
            {
                _state = EngineState.Draining;
            }

            if (_live == 0)
            {
                return Task.CompletedTask;
            }

            drained = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        return drained.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking jobs, cancels every job not yet final, and stops the engine's timers.</summary>
    /// <returns>A task that completes at once: running work is told to stop but not awaited.</returns>
    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_state == EngineState.Disposed)
            {
                return ValueTask.CompletedTask;
            }

            _state = EngineState.Disposed;
        }

        _sharedStop.Cancel();
        CancelAll();
        List<(Lane, SharedLane, string[])>? held = null;
        lock (_lock)
        {
            foreach (Lane lane in _lanes.Values)
            {
                lane.WakeTimer?.Dispose();
                lane.WakeTimer = null;
                lane.WakeAt = long.MaxValue;
            }

            _retries.Dispose();
            foreach (Lane lane in _lanes.Values)
            {
                if (lane.Shared is { Leases.Count: > 0 } shared)
                {
                    (held ??= []).Add((lane, shared, [.. shared.Leases]));
                    shared.Leases.Clear();
                }
            }
        }

        _waker?.Dispose();

        _metrics.Dispose();
        return held is null ? ValueTask.CompletedTask : ReleaseLeasesAsync(held);
    }

    /// <summary>
    /// Cancels the job with <paramref name="jobId"/> (see <see cref="JobHandle{T}.Id"/>,
    /// <see cref="JobContext.JobId"/>, <see cref="JobEventArgs.JobId"/>), in whatever state it is: a
    /// queued or retry-waiting job ends at once, a running attempt has its token cancelled. A lookup
    /// that walks the queues: meant for a person or a service cancelling one job, not for a loop.
    /// </summary>
    /// <param name="jobId">The job's id.</param>
    /// <returns>Whether a job that was not final had that id.</returns>
    public bool Cancel(long jobId)
    {
        Job? found = null;
        lock (_lock)
        {
            found = _running.Find(jobId);
            foreach (Lane lane in _lanes.Values)
            {
                found ??= lane.Queue.Find(jobId);
            }

            found ??= _retries.Jobs.FirstOrDefault(j => j.Id == jobId);
            if (found is null || found.State is not (JobState.Queued or JobState.Running or JobState.WaitingToRetry))
            {
                return false;
            }
        }

        Cancel(found);
        return true;
    }

    /// <summary>Cancels one job; see <see cref="JobHandle{T}.Cancel"/>.</summary>
    internal void Cancel(Job job) => CancelMany([job]);

    /// <summary>
    /// Makes each job final as cancelled, under one lock, then (outside it) cancels the tokens of
    /// running attempts and tells every owner. A running attempt keeps its slots until it returns.
    /// </summary>
    internal void CancelMany(IEnumerable<Job> jobs)
    {
        List<Job>? cancelled = null;
        List<CancellationTokenSource>? tokens = null;
        lock (_lock)
        {
            long now = Now;
            foreach (Job job in jobs)
            {
                if (job.Id == 0)
                {
                    continue; // not submitted yet; its batch refuses to submit it once cancelled
                }

                switch (job.State)
                {
                    case JobState.Queued or JobState.WaitingToRetry:
                        break;
                    case JobState.Running:
                        if (job.Token is { } token)
                        {
                            // Taken from the job so that the pool never hands a token about to be cancelled to another job.
                            job.Token = null;
                            _running.Remove(token);
                            token.Job = null;
                            (tokens ??= []).Add(token.Source);
                        }

                        break;
                    default:
                        continue;
                }

                job.Error ??= new OperationCanceledException("The job was cancelled.");
                if (job.Error is not OperationCanceledException)
                {
                    job.Error = new OperationCanceledException("The job was cancelled.", job.Error);
                }

                FinishUnsynchronized(job, JobState.Cancelled, now);
                (cancelled ??= []).Add(job);
            }
        }

        if (tokens is not null)
        {
            foreach (CancellationTokenSource cts in tokens)
            {
                cts.Cancel();
            }
        }

        if (cancelled is not null)
        {
            foreach (Job job in cancelled)
            {
                OnFinal(job);
            }
        }
    }
}
