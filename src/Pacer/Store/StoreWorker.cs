using System.Threading.Channels;

namespace Pacer;

/// <summary>
/// Feeds jobs from an <see cref="IJobStore"/> to their runs: claims them under a lease, runs each
/// (through a <see cref="PacerEngine"/>'s lane, or through a function that paces itself), renews the
/// leases while they run, and records the outcomes in batches. A worker that dies leaves its leases
/// to run out, and another worker claims the jobs again: delivery is at least once, and each job's
/// outcome is recorded once.
/// </summary>
/// <remarks>
/// The store's failures do not stop the worker: it says so through
/// <see cref="StoreWorkerOptions.OnStoreError"/>, waits (50 ms, doubling up to 2 s) and tries again,
/// while the jobs it holds go on. A job claimed again by this worker while an earlier claim of it
/// still runs (its lease ran out unnoticed) is fenced: only the newest claim's outcome is recorded.
/// </remarks>
public sealed class StoreWorker
{
    private const int MaxCompletionBatch = 500;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(2);

    private readonly IJobStore _store;
    private readonly Func<StoredJob, CancellationToken, ValueTask<JobRunOutcome>> _run;
    private readonly StoreWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Claim> _held = new(StringComparer.Ordinal);
    private readonly Channel<(Claim Claim, StoredOutcome Outcome)> _outcomes =
        Channel.CreateUnbounded<(Claim, StoredOutcome)>(new UnboundedChannelOptions { SingleReader = true });

    private TaskCompletionSource _roomFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopping;

    /// <summary>Creates a worker that runs each job's payload in its lane of <paramref name="engine"/>, with the engine's limits and retries.</summary>
    /// <param name="engine">The engine whose lanes run the jobs.</param>
    /// <param name="store">Where the jobs come from and outcomes go.</param>
    /// <param name="execute">Runs one stored job's payload and returns its result; an exception fails the attempt.</param>
    /// <param name="options">Lease, in-flight limit and retry policy.</param>
    public StoreWorker(PacerEngine engine, IJobStore store, Func<StoredJob, JobContext, ValueTask<string?>> execute, StoreWorkerOptions? options = null)
        : this(store, options ?? new StoreWorkerOptions(), (engine ?? throw new ArgumentNullException(nameof(engine))).TimeProvider)
    {
        ArgumentNullException.ThrowIfNull(execute);
        _run = InLane(engine, execute, _options);
    }

    /// <summary>
    /// Creates a worker that hands each job to <paramref name="run"/>, which paces it itself (for
    /// example, an <see cref="HttpClient"/> whose handler is <c>PacerHttpHandler</c>) and says how it ended.
    /// </summary>
    /// <param name="store">Where the jobs come from and outcomes go.</param>
    /// <param name="run">Runs one claimed job to its outcome; it stops, with a Cancelled outcome, when its token is cancelled. An exception is recorded as a failure.</param>
    /// <param name="options">Lease, in-flight limit and time provider; null for the defaults.</param>
    public StoreWorker(IJobStore store, Func<StoredJob, CancellationToken, ValueTask<JobRunOutcome>> run, StoreWorkerOptions? options)
        : this(store, options ??= new StoreWorkerOptions(), options.TimeProvider ?? TimeProvider.System) =>
        _run = run ?? throw new ArgumentNullException(nameof(run));

    private StoreWorker(IJobStore store, StoreWorkerOptions options, TimeProvider time)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        options.Validate();
        _options = options;
        _time = time;
        _run = null!; // Set by the public constructors.
    }

    /// <summary>Jobs claimed and not yet recorded or given back.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>
    /// Claims and runs jobs until <paramref name="cancellationToken"/> is cancelled; then cancels
    /// the runs it holds, records the outcomes that were reached, and gives the other jobs back to
    /// the store, so that another worker takes them over at once.
    /// </summary>
    /// <param name="cancellationToken">Stops the worker.</param>
    /// <returns>A task that completes when the worker has stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task writing = WriteOutcomesAsync();
        long lastRenewal = _time.GetTimestamp();
        TimeSpan backoff = TimeSpan.Zero;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (_time.GetElapsedTime(lastRenewal) >= _options.Lease / 3)
                    {
                        await RenewLeasesAsync(cancellationToken).ConfigureAwait(false);
                        lastRenewal = _time.GetTimestamp();
                    }

                    int room;
                    bool idle;
                    Task roomFreed;
                    lock (_lock)
                    {
                        room = _options.MaxInFlight - _held.Count;
                        idle = _held.Count == 0;
                        roomFreed = _roomFreed.Task;
                    }

                    // Claims are taken in batches: with jobs held, the next claim waits for room for half the limit,
                    // so that a few outcomes at a time do not become a claim (and a write) each.
                    bool worthClaiming = room > 0 && (idle || room >= Math.Max(1, _options.MaxInFlight / 2));
                    int claimed = worthClaiming ? await ClaimAndStartAsync(room, cancellationToken).ConfigureAwait(false) : 0;
                    backoff = TimeSpan.Zero;
                    if (worthClaiming && claimed == 0)
                    {
                        // Nothing to claim: wait for jobs to be added, or for the polling fallback.
                        await _store.WaitForJobsAsync(Min(_options.IdleDelay, _options.Lease / 3), _time, cancellationToken).ConfigureAwait(false);
                    }
                    else if (!worthClaiming || claimed == room)
                    {
                        // Full: wait for room, or for the next renewal.
                        await WaitForRoomAsync(roomFreed, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    // The store failed (or refused): the runs held go on; claiming resumes when it answers.
                    _options.OnStoreError?.Invoke(e);
                    backoff = backoff == TimeSpan.Zero ? FirstBackoff : Min(backoff * 2, LastBackoff);
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the expected way out.
        }

        await StopAsync(writing).ConfigureAwait(false);
    }

    private static Func<StoredJob, CancellationToken, ValueTask<JobRunOutcome>> InLane(
        PacerEngine engine, Func<StoredJob, JobContext, ValueTask<string?>> execute, StoreWorkerOptions options) =>
        async (job, cancellationToken) =>
        {
            var jobOptions = new JobOptions
            {
                Lane = job.Submission.Lane,
                Priority = job.Submission.Priority,
                Cost = job.Submission.Cost,
                Retry = options.Retry,
                Timeout = options.Timeout,
            };
            JobHandle<string?> handle = engine.Submit(context => execute(job, context), jobOptions, cancellationToken);
            try
            {
                string? result = await handle.Task.ConfigureAwait(false);
                return new JobRunOutcome(StoredJobState.Succeeded, handle.Attempts, result, null);
            }
            catch (OperationCanceledException e)
            {
                return new JobRunOutcome(StoredJobState.Cancelled, handle.Attempts, null, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new JobRunOutcome(StoredJobState.Failed, handle.Attempts, null, e.Message);
            }
        };

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<int> ClaimAndStartAsync(int room, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredJob> jobs = await _store.ClaimAsync(_options.WorkerId, room, _options.Lease, cancellationToken).ConfigureAwait(false);
        foreach (StoredJob job in jobs)
        {
            var claim = new Claim(job);
            lock (_lock)
            {
                if (_held.Remove(job.Id, out Claim? earlier))
                {
                    // Claimed again while an earlier claim still runs (its lease ran out): only this one counts.
                    earlier.Cancel.Cancel();
                }

                _held.Add(job.Id, claim);
            }

            claim.Running = RunClaimAsync(claim);
        }

        return jobs.Count;
    }

    private async Task RunClaimAsync(Claim claim)
    {
        JobRunOutcome outcome;
        try
        {
            outcome = await _run(claim.Job, claim.Cancel.Token).ConfigureAwait(false);
            if (outcome.State is not (StoredJobState.Succeeded or StoredJobState.Failed or StoredJobState.Cancelled))
            {
                outcome = new JobRunOutcome(StoredJobState.Failed, outcome.Attempts, outcome.Result, $"The run ended in {outcome.State}, which is no final state.");
            }
        }
        catch (OperationCanceledException e)
        {
            outcome = new JobRunOutcome(StoredJobState.Cancelled, 0, null, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            outcome = new JobRunOutcome(StoredJobState.Failed, 0, null, e.Message);
        }

        lock (_lock)
        {
            if (!_held.TryGetValue(claim.Job.Id, out Claim? current) || !ReferenceEquals(current, claim))
            {
                // Its lease was lost, or a newer claim of the job runs: this outcome is not the job's.
                return;
            }

            if (claim.StoppedByWorker && outcome.State == StoredJobState.Cancelled)
            {
                // Cancelled because the worker stops: given back, not recorded (see StopAsync).
                claim.GiveBack = true;
                return;
            }
        }

        _outcomes.Writer.TryWrite((claim, new StoredOutcome(claim.Job.Id, _options.WorkerId, outcome.State, outcome.Attempts, outcome.Result, outcome.Error)));
    }

    /// <summary>Writes outcomes as they come, as many at once as are waiting (up to 500); then frees their room.</summary>
    private async Task WriteOutcomesAsync()
    {
        var batch = new List<(Claim Claim, StoredOutcome Outcome)>(MaxCompletionBatch);
        var outcomes = new List<StoredOutcome>(MaxCompletionBatch);
        TimeSpan backoff = TimeSpan.Zero;
        while (batch.Count > 0 || await _outcomes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxCompletionBatch && _outcomes.Reader.TryRead(out (Claim, StoredOutcome) next))
            {
                batch.Add(next);
            }

            outcomes.Clear();
            outcomes.AddRange(batch.Select(b => b.Outcome));
            try
            {
                await _store.CompleteManyAsync(outcomes, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _options.OnStoreError?.Invoke(e);
                if (!Volatile.Read(ref _stopping))
                {
                    // Kept and written again: a lease that runs out meanwhile drops its outcome, and the job runs again.
                    backoff = backoff == TimeSpan.Zero ? FirstBackoff : Min(backoff * 2, LastBackoff);
                    await Task.Delay(backoff, _time).ConfigureAwait(false);
                    continue;
                }
            }

            backoff = TimeSpan.Zero;
            TaskCompletionSource freed;
            lock (_lock)
            {
                foreach ((Claim claim, _) in batch)
                {
                    if (_held.TryGetValue(claim.Job.Id, out Claim? current) && ReferenceEquals(current, claim))
                    {
                        _held.Remove(claim.Job.Id);
                    }
                }

                freed = _roomFreed;
                _roomFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            batch.Clear();
            freed.TrySetResult();
        }
    }

    private async Task WaitForRoomAsync(Task roomFreed, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task renewalDue = Task.Delay(_options.Lease / 3, _time, wait.Token);
        await Task.WhenAny(roomFreed, renewalDue).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        Claim[] held;
        lock (_lock)
        {
            held = [.. _held.Values];
        }

        foreach (Claim claim in held)
        {
            if (!await _store.RenewAsync(claim.Job.Id, _options.WorkerId, _options.Lease, cancellationToken).ConfigureAwait(false))
            {
                // The lease was lost (another worker has the job now, or it was cancelled): stop running it here.
                lock (_lock)
                {
                    if (_held.TryGetValue(claim.Job.Id, out Claim? current) && ReferenceEquals(current, claim))
                    {
                        _held.Remove(claim.Job.Id);
                    }
                }

                claim.Cancel.Cancel();
            }
        }
    }

    /// <summary>Cancels the runs held, waits for them to end, writes the outcomes reached, and gives the rest back.</summary>
    private async Task StopAsync(Task writing)
    {
        Claim[] held;
        lock (_lock)
        {
            _stopping = true;
            held = [.. _held.Values];
            foreach (Claim claim in held)
            {
                claim.StoppedByWorker = true;
            }
        }

        foreach (Claim claim in held)
        {
            claim.Cancel.Cancel();
        }

        await Task.WhenAll(held.Select(c => c.Running)).ConfigureAwait(false);
        _outcomes.Writer.TryComplete();
        await writing.ConfigureAwait(false);
        foreach (Claim claim in held.Where(c => c.GiveBack))
        {
            try
            {
                await _store.ReleaseAsync(claim.Job.Id, _options.WorkerId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Its lease runs out instead, and another worker claims it then.
                _options.OnStoreError?.Invoke(e);
            }
        }

        lock (_lock)
        {
            _held.Clear();
        }

        foreach (Claim claim in held)
        {
            claim.Cancel.Dispose();
        }
    }

    /// <summary>One claim of a job: its run, and the token that stops it.</summary>
    private sealed class Claim(StoredJob job)
    {
        public StoredJob Job { get; } = job;

        public CancellationTokenSource Cancel { get; } = new();

        public Task Running { get; set; } = Task.CompletedTask;

        /// <summary>Cancelled because the worker stops (under the worker's lock).</summary>
        public bool StoppedByWorker { get; set; }

        /// <summary>Its run ended cancelled by the stop: it goes back to the store.</summary>
        public bool GiveBack { get; set; }
    }
}
