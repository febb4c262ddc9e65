namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>Submits one job and returns its handle at once; the job starts when its lane has room.</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The work; it receives the attempt's context and token, and may run more than once.</param>
    /// <param name="options">Lane, priority, cost, timeout, retry policy and idempotency key; default: the default lane.</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    /// <returns>The job's handle.</returns>
    /// <exception cref="ArgumentException">The lane does not exist or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The engine is draining or disposed.</exception>
    public JobHandle<T> Submit<T>(Func<JobContext, ValueTask<T>> work, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        options ??= JobOptions.Default;
        options.EnsureValid();
        var completion = new JobCompletion<T>();
        var job = new Job<T> { Lane = ResolveLane(options), Options = options, Work = work, Owner = completion };

        if (options.IdempotencyKey is { } key)
        {
            lock (_lock)
            {
                if (_idempotency.TryGetValue(key, out Job? existing))
                {
                    return existing is Job<T> { Owner: JobCompletion<T> same } typed
                        ? new JobHandle<T>(typed, same)
                        : throw new InvalidOperationException(
                            $"Idempotency key '{key}' belongs to a running job of another result type or in a batch.");
                }

                _idempotency.Add(key, job);
            }
        }

        Enqueue(job, cancellationToken);
        if (cancellationToken.CanBeCanceled && !job.IsFinal)
        {
            completion.Registration = cancellationToken.UnsafeRegister(static state => ((Job)state!).Lane.Engine.Cancel((Job)state!), job);
            if (job.IsFinal)
            {
                completion.Registration.Dispose();
            }
        }

        return new JobHandle<T>(job, completion);
    }

    /// <summary>Runs one job and returns its result: <see cref="Submit{T}"/> and await.</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="options">Lane, priority, cost, timeout, retry policy.</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="OperationCanceledException">The job was cancelled.</exception>
    public Task<T> RunAsync<T>(Func<JobContext, ValueTask<T>> work, JobOptions? options = null, CancellationToken cancellationToken = default) =>
        Submit(work, options, cancellationToken).Task;

    /// <summary>Puts a new job in its lane's queue and starts what can start. Outside the lock.</summary>
    internal void Enqueue(Job job, CancellationToken cancellationToken)
    {
        Job? chain;
        bool cancelledAlready = false;
        lock (_lock)
        {
            ThrowIfNotAcceptingUnsynchronized();
            long now = Now;
            job.Id = ++_nextId;
            job.SubmittedAt = now;
            job.Timestamp = now;
            job.State = JobState.Queued;
            _live++;
            if (job.Group is { } group)
            {
                group.OnEnqueuedUnsynchronized(job);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                job.Group?.OnCancelledUnsynchronized(JobState.Queued);
                job.State = JobState.Cancelled;
                job.Error = new OperationCanceledException(cancellationToken);
                FinishUnsynchronized(job, now);
                cancelledAlready = true;
                chain = null;
            }
            else
            {
                job.Lane.Queue.Enqueue(job);
                for (Lane? lane = job.Lane; lane is not null; lane = lane.Parent)
                {
                    lane.Stats.Queued++;
                }

                chain = PumpLaneUnsynchronized(job.Lane, now);
            }
        }

        if (cancelledAlready)
        {
            OnFinal(job);
        }

        RunChain(chain);
    }

    private void ThrowIfNotAcceptingUnsynchronized()
    {
        if (_state != EngineState.Running)
        {
            throw new InvalidOperationException(_state == EngineState.Draining
                ? "The engine is draining and takes no new jobs."
                : "The engine is disposed.");
        }
    }
}
