using System.Runtime.CompilerServices;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [OverloadResolutionPriority(1)] // an async lambda fits Task work too: ValueTask, the cheaper, wins
    public JobHandle<T> Submit<T>(Func<JobContext, ValueTask<T>> work, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        options ??= JobOptions.Default;
        options.EnsureValid();
        var job = new Job<T> { Lane = ResolveLane(options), Options = options, Work = work };

        if (options.IdempotencyKey is { } key)
        {
            lock (_lock)
            {
                if (_idempotency.TryGetValue(key, out Job? existing))
                {
                    return existing is Job<T> { Owner: null or JobCompletion<T> } typed
                        ? new JobHandle<T>(typed)
                        : throw new InvalidOperationException(
                            $"Idempotency key '{key}' belongs to a running job of another result type or in a batch.");
                }

                _idempotency.Add(key, job);
            }
        }

        try
        {
            Enqueue(job, cancellationToken);
        }
        catch when (options.IdempotencyKey is { } refusedKey)
        {
            // The engine took no job: free its key, or a later submit with it would get a job that never runs.
            lock (_lock)
            {
                if (_idempotency.TryGetValue(refusedKey, out Job? owner) && ReferenceEquals(owner, job))
                {
                    _idempotency.Remove(refusedKey);
                }
            }

            throw;
        }

        if (cancellationToken.CanBeCanceled && !job.IsFinal)
        {
            JobCompletion<T> completion = job.GetCompletion();
            completion.Registration = cancellationToken.UnsafeRegister(static state => ((Job)state!).Lane.Engine.Cancel((Job)state!), job);
            if (job.IsFinal)
            {
                completion.Registration.Dispose();
            }
        }

        return new JobHandle<T>(job);
    }

    /// <summary>
    /// Posts a job and forgets it: the cheapest way to push a great many jobs whose end you learn
    /// from the work itself or from <see cref="JobFinished"/>. The engine reuses the job once it
    /// has ended, so a <see cref="JobContext"/> must not be kept past its attempt. Cancel posted
    /// jobs with <see cref="CancelAll"/>; use <see cref="Submit{T}(Func{JobContext, ValueTask{T}}, JobOptions?, CancellationToken)"/> to await or cancel one job.
    /// </summary>
    /// <param name="work">The work.</param>
    /// <param name="options">Lane, priority, cost, timeout and retry policy; an idempotency key is not taken.</param>
    /// <exception cref="ArgumentException">The lane does not exist, an option is out of range, or an idempotency key is set.</exception>
    /// <exception cref="InvalidOperationException">The engine is draining or disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Post(Func<JobContext, ValueTask> work, JobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        options ??= JobOptions.Default;
        options.EnsureValid();
        if (options.IdempotencyKey is not null)
        {
            throw new ArgumentException("Post does not take an idempotency key; use Submit, whose handle the key returns.", nameof(options));
        }

        Lane lane = ResolveLane(options);
        StartQueue local = StartQueue.ForThisThread;
        PostedJob? job = local.Spare;
        if (job is null)
        {
            job = new PostedJob { Lane = lane, Options = options, Work = work };
        }
        else
        {
            local.Spare = null;
            job.Lane = lane;
            job.Options = options;
            job.Work = work;
        }

        Enqueue(job, CancellationToken.None);
    }

    /// <summary>Runs one job and returns its result: <see cref="Submit{T}(Func{JobContext, ValueTask{T}}, JobOptions?, CancellationToken)"/> and await.</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="options">Lane, priority, cost, timeout, retry policy.</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="OperationCanceledException">The job was cancelled.</exception>
    [OverloadResolutionPriority(1)] // an async lambda fits Task work too: ValueTask, the cheaper, wins
    public Task<T> RunAsync<T>(Func<JobContext, ValueTask<T>> work, JobOptions? options = null, CancellationToken cancellationToken = default) =>
        Submit(work, options, cancellationToken).Task;

    /// <summary>Puts a new job in its lane's queue and starts what can start. Outside the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            _live++;
            JobLifecycle.QueuedUnsynchronized(job);
            if (FailingFastUnsynchronized(job.Lane, now) is { } open)
            {
                FailFastUnsynchronized(job, open, now);
                cancelledAlready = true;
                chain = null;
            }
            else if (cancellationToken.IsCancellationRequested)
            {
                job.Error = new OperationCanceledException(cancellationToken);
                FinishUnsynchronized(job, JobState.Cancelled, now);
                cancelledAlready = true;
                chain = null;
            }
            else
            {
                job.Lane.Queue.Enqueue(job);
                chain = PumpLaneUnsynchronized(job.Lane, now);
            }
        }

        if (cancelledAlready)
        {
            OnFinal(job);
        }
        else
        {
            OnQueued(job);
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
