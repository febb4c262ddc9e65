namespace Pacer;

/// <summary>
/// Feeds jobs from an <see cref="IJobStore"/> to a <see cref="PacerEngine"/>: claims them under a
/// lease, runs each through its lane with the engine's limits and retries, renews the lease while
/// it runs, and records the outcome. A worker that dies leaves its leases to run out, and another
/// worker claims the jobs again.
/// </summary>
public sealed class StoreWorker
{
    private readonly PacerEngine _engine;
    private readonly IJobStore _store;
    private readonly Func<StoredJob, JobContext, ValueTask<string?>> _execute;
    private readonly StoreWorkerOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JobHandle<string?>> _inFlight = new(StringComparer.Ordinal);
    private TaskCompletionSource _roomFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a worker.</summary>
    /// <param name="engine">The engine whose lanes run the jobs.</param>
    /// <param name="store">Where the jobs come from and outcomes go.</param>
    /// <param name="execute">Runs one stored job's payload and returns its result.</param>
    /// <param name="options">Lease, in-flight limit and retry policy.</param>
    public StoreWorker(PacerEngine engine, IJobStore store, Func<StoredJob, JobContext, ValueTask<string?>> execute, StoreWorkerOptions? options = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _execute = execute ?? throw new ArgumentNullException(nameof(execute));
        _options = options ?? new StoreWorkerOptions();
        _options.Validate();
    }

    /// <summary>Jobs claimed and not yet recorded.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>
    /// Claims and runs jobs until <paramref name="cancellationToken"/> is cancelled; then cancels
    /// the jobs it holds and gives them back to the store, so that another worker takes them over.
    /// </summary>
    /// <param name="cancellationToken">Stops the worker.</param>
    /// <returns>A task that completes when the worker has stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        TimeProvider time = _engine.TimeProvider;
        long lastRenewal = time.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (time.GetElapsedTime(lastRenewal) >= _options.Lease / 3)
                {
                    await RenewLeasesAsync(cancellationToken).ConfigureAwait(false);
                    lastRenewal = time.GetTimestamp();
                }

                int room;
                Task roomFreed;
                lock (_lock)
                {
                    room = _options.MaxInFlight - _inFlight.Count;
                    roomFreed = _roomFreed.Task;
                }

                int claimed = room > 0 ? await ClaimAndSubmitAsync(room, cancellationToken).ConfigureAwait(false) : 0;
                if (claimed == 0 || claimed == room)
                {
                    // Nothing to claim, or full: wait for room, for the idle delay, or for the next renewal.
                    TimeSpan wait = room > 0 ? _options.IdleDelay : _options.Lease / 3;
                    Task delay = Task.Delay(wait, time, cancellationToken);
                    await Task.WhenAny(delay, room > 0 ? delay : roomFreed).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the expected way out.
        }

        await ReleaseAllAsync().ConfigureAwait(false);
    }

    private async Task<int> ClaimAndSubmitAsync(int room, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredJob> jobs = await _store.ClaimAsync(_options.WorkerId, room, _options.Lease, cancellationToken).ConfigureAwait(false);
        foreach (StoredJob job in jobs)
        {
            var options = new JobOptions
            {
                Lane = job.Submission.Lane,
                Priority = job.Submission.Priority,
                Cost = job.Submission.Cost,
                Retry = _options.Retry,
                Timeout = _options.Timeout,
            };
            JobHandle<string?> handle = _engine.Submit(context => _execute(job, context), options, CancellationToken.None);
            lock (_lock)
            {
                _inFlight[job.Id] = handle;
            }

            _ = RecordWhenFinalAsync(job.Id, handle);
        }

        return jobs.Count;
    }

    private async Task RecordWhenFinalAsync(string id, JobHandle<string?> handle)
    {
        string? result = null;
        string? error = null;
        StoredJobState state;
        try
        {
            result = await handle.Task.ConfigureAwait(false);
            state = StoredJobState.Succeeded;
        }
        catch (OperationCanceledException ex)
        {
            state = StoredJobState.Cancelled;
            error = ex.Message;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            state = StoredJobState.Failed;
            error = ex.Message;
        }

        bool stopping;
        lock (_lock)
        {
            stopping = !_inFlight.Remove(id);
        }

        if (!stopping)
        {
            // A cancellation here came from outside the worker (the batch was cancelled): record it.
            await _store.CompleteAsync(id, _options.WorkerId, state, handle.Attempts, result, error, CancellationToken.None).ConfigureAwait(false);
        }

        TaskCompletionSource freed;
        lock (_lock)
        {
            freed = _roomFreed;
            _roomFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        freed.TrySetResult();
    }

    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        KeyValuePair<string, JobHandle<string?>>[] held;
        lock (_lock)
        {
            held = [.. _inFlight];
        }

        foreach ((string id, JobHandle<string?> handle) in held)
        {
            if (!await _store.RenewAsync(id, _options.WorkerId, _options.Lease, cancellationToken).ConfigureAwait(false))
            {
                // The lease was lost (another worker has the job now): stop running it here.
                lock (_lock)
                {
                    _inFlight.Remove(id);
                }

                handle.Cancel();
            }
        }
    }

    private async Task ReleaseAllAsync()
    {
        KeyValuePair<string, JobHandle<string?>>[] held;
        lock (_lock)
        {
            held = [.. _inFlight];
            _inFlight.Clear();
        }

        foreach ((string id, JobHandle<string?> handle) in held)
        {
            handle.Cancel();
            await _store.ReleaseAsync(id, _options.WorkerId, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
