using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Pacer;

/// <summary>
/// A set of jobs submitted together: results in submission order (<see cref="WhenAllAsync"/>) or as
/// they complete (<see cref="ReadAllAsync"/>), fail-fast, cancel and progress of its own.
/// </summary>
/// <typeparam name="T">What the work of each job returns.</typeparam>
public sealed partial class Batch<T> : IJobOwner<T>
{
    private readonly PacerEngine _engine;
    private readonly BatchOptions _options;
    private readonly BatchCounters _counters;
    private readonly Lock _lock = new();
    private readonly List<Job<T>> _jobs = [];
    private readonly TaskCompletionSource<BatchResult<T>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _registration;
    private Channel<JobResult<T>>? _stream;

    /// <summary>
    /// Jobs the reader was given when it started: a job is final before its batch hears of it, and
    /// <see cref="IJobOwner{T}.OnJobFinal"/> must not hand it to the reader a second time.
    /// </summary>
    private HashSet<Job<T>>? _givenAtStart;
    private int _final;
    private bool _addingCompleted;
    private bool _cancelled;

    internal Batch(PacerEngine engine, BatchOptions options, CancellationToken cancellationToken)
    {
        _engine = engine;
        _options = options;
        _options.JobOptions?.EnsureValid();
        _counters = new BatchCounters(engine.TimestampFrequency);
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static b => ((Batch<T>)b!).Cancel(), this);
        }
    }

    internal BatchCounters Counters => _counters;

    /// <summary>Jobs added so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>Completes when adding is complete and every job is final.</summary>
    public Task<BatchResult<T>> Completion => _completion.Task;

    /// <summary>Adds a job; it is submitted at once.</summary>
    /// <param name="work">The work.</param>
    /// <param name="options">Its options; default: the batch's <see cref="BatchOptions.JobOptions"/>.</param>
    /// <returns>Its index in the batch.</returns>
    /// <exception cref="InvalidOperationException">Adding was completed, or the engine takes no new jobs.</exception>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)] // an async lambda fits Task work too: ValueTask, the cheaper, wins
    public int Add(Func<JobContext, ValueTask<T>> work, JobOptions? options = null) => Add(work, null, options);

    /// <summary>Adds a job with a state object, which the work reads from <see cref="JobContext.State"/>.</summary>
    /// <param name="work">The work; one delegate may serve every item.</param>
    /// <param name="state">The item.</param>
    /// <param name="options">Its options; default: the batch's <see cref="BatchOptions.JobOptions"/>.</param>
    /// <returns>Its index in the batch.</returns>
    /// <exception cref="InvalidOperationException">Adding was completed, or the engine takes no new jobs.</exception>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)] // an async lambda fits Task work too: ValueTask, the cheaper, wins
    public int Add(Func<JobContext, ValueTask<T>> work, object? state, JobOptions? options = null) => AddJob(work, state, options, parent: null);

    private int AddJob(Func<JobContext, ValueTask<T>> work, object? state, JobOptions? options, Job<T>? parent)
    {
        ArgumentNullException.ThrowIfNull(work);
        options ??= _options.JobOptions ?? JobOptions.Default;
        options.EnsureValid();
        var job = new Job<T> { Lane = _engine.ResolveLane(options), Options = options, Work = work, Owner = this, Item = state };
        bool cancelled;
        lock (_lock)
        {
            // A running parent may add children after adding was completed: the batch is not done while it runs.
            if (_addingCompleted && (parent is null || parent.IsFinal))
            {
                throw new InvalidOperationException("Adding to this batch was completed.");
            }

            // A child whose key another child of this batch already has is that child: it runs once,
            // and its result appears once, where it was first added.
            if (parent is not null && options.IdempotencyKey is { } key && FirstChildWithUnsynchronized(key, _jobs.Count) is int first)
            {
                return first;
            }

            job.Index = _jobs.Count;
            _jobs.Add(job);
            if (parent is not null || _parentOf is not null)
            {
                RecordParentUnsynchronized(job, parent);
            }

            cancelled = _cancelled;
        }

        try
        {
            _engine.Enqueue(job, cancelled ? new CancellationToken(true) : default);
        }
        catch
        {
            // The engine took no job (it is draining or disposed): drop it, or the batch would wait for it forever.
            lock (_lock)
            {
                _jobs.Remove(job);
                if (parent is not null && options.IdempotencyKey is { } added)
                {
                    _childKeys?.Remove(added);
                }
            }

            throw;
        }

        return job.Index;
    }

    /// <summary>Says no more jobs will be added; the batch completes when every job is final.</summary>
    public void CompleteAdding()
    {
        bool done;
        lock (_lock)
        {
            _addingCompleted = true;
            done = _final == _jobs.Count;
            SignalTreeUnsynchronized();
        }

        if (done)
        {
            Finish();
        }
    }

    /// <summary>Completes adding, then waits for every job and returns all results in submission order.</summary>
    /// <param name="cancellationToken">Stops waiting (the jobs go on; cancel them with <see cref="Cancel()"/>).</param>
    /// <returns>Every job's result, partial results and errors included.</returns>
    public Task<BatchResult<T>> WhenAllAsync(CancellationToken cancellationToken = default)
    {
        CompleteAdding();
        return _completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Yields each job's result as it becomes final (jobs already final first, in submission order),
    /// until the batch is complete. Meant for one reader.
    /// </summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The results as they complete.</returns>
    public async IAsyncEnumerable<JobResult<T>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Channel<JobResult<T>> stream;
        bool done;
        lock (_lock)
        {
            if (_stream is not null)
            {
                throw new InvalidOperationException("ReadAllAsync was already called on this batch; it has one reader.");
            }

            stream = _stream = Channel.CreateUnbounded<JobResult<T>>(new UnboundedChannelOptions { SingleReader = true });
            foreach (Job<T> job in _jobs)
            {
                if (job.IsFinal)
                {
                    stream.Writer.TryWrite(ToResult(job));
                    (_givenAtStart ??= []).Add(job);
                }
            }

            done = _addingCompleted && _final == _jobs.Count;
        }

        if (done)
        {
            stream.Writer.TryComplete();
        }

        await foreach (JobResult<T> result in stream.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Cancels every job of the batch not yet final; jobs added later start cancelled.</summary>
    public void Cancel()
    {
        Job<T>[] jobs;
        lock (_lock)
        {
            _cancelled = true;
            jobs = [.. _jobs];
        }

        _engine.CancelMany(jobs);
    }

    /// <summary>
    /// Cancels the job at <paramref name="index"/> alone, in whatever state it is: queued, waiting to
    /// retry or running (its token is cancelled). The rest of the batch goes on.
    /// </summary>
    /// <param name="index">The job's index in the batch.</param>
    /// <returns>Whether the job was not final yet.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No job has that index.</exception>
    public bool Cancel(int index)
    {
        Job<T> job = JobAt(index);
        if (job.State is not (JobState.Queued or JobState.Running or JobState.WaitingToRetry))
        {
            return false;
        }

        _engine.Cancel(job);
        return true;
    }

    /// <summary>The engine's id of the job at <paramref name="index"/> (see <see cref="PacerEngine.Cancel(long)"/>, <see cref="JobEventArgs.JobId"/>).</summary>
    /// <param name="index">The job's index in the batch.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No job has that index.</exception>
    public long GetJobId(int index) => JobAt(index).Id;

    /// <summary>What the work of the job at <paramref name="index"/> last reported of its progress (<see cref="JobContext.ReportProgress"/>), or null.</summary>
    /// <param name="index">The job's index in the batch.</param>
    /// <returns>The progress, with the ETA it implies.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No job has that index.</exception>
    public JobProgress? GetProgress(int index) => _engine.ProgressOf(JobAt(index));

    internal Job<T> JobAt(int index)
    {
        lock (_lock)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_jobs.Count, nameof(index));
            return _jobs[index];
        }
    }

    /// <summary>Where the batch stands now.</summary>
    /// <returns>The snapshot.</returns>
    public BatchSnapshot GetSnapshot()
    {
        bool addingCompleted;
        lock (_lock)
        {
            addingCompleted = _addingCompleted;
        }

        return _engine.WithLock(() =>
        {
            BatchCounters c = _counters;
            TimeSpan? eta = TimeSpan.Zero;
            foreach ((Lane lane, int remaining) in c.RemainingByLane)
            {
                TimeSpan? laneEta = PacerEngine.Eta(remaining, PacerEngine.CapacityUnsynchronized(lane));
                eta = laneEta is null || eta is null ? null : laneEta > eta ? laneEta : eta;
            }

            int finished = c.Succeeded + c.Failed + c.Cancelled;
            return new BatchSnapshot(
                c.Submitted, c.Queued, c.Running, c.WaitingToRetry, c.Succeeded, c.Failed, c.Cancelled,
                c.Throughput.PerSecond(_engine.Now), eta, addingCompleted && finished == c.Submitted);
        });
    }

    void IJobOwner<T>.OnJobFinal(Job<T> job)
    {
        bool failFast;
        bool done;
        lock (_lock)
        {
            _final++;
            SignalTreeUnsynchronized();
            if (_givenAtStart?.Remove(job) != true)
            {
                _stream?.Writer.TryWrite(ToResult(job));
            }

            OnChildFinalUnsynchronized(job);
            failFast = _options.FailFast && job.State == JobState.Failed && !_cancelled;
            _cancelled |= failFast;
            done = _addingCompleted && _final == _jobs.Count;
        }

        if (failFast)
        {
            Cancel();
        }

        if (done)
        {
            Finish();
        }
    }

    private void Finish()
    {
        Job<T>[] jobs;
        lock (_lock)
        {
            if (_completion.Task.IsCompleted)
            {
                return;
            }

            jobs = _parentOf is null ? [.. _jobs] : TreeOrderUnsynchronized();
            _stream?.Writer.TryComplete();
        }

        _registration.Dispose();
        _completion.TrySetResult(new BatchResult<T>(new JobResultList<T>(jobs, ToResult)));
    }

    private JobResult<T> ToResult(Job<T> job)
    {
        var result = new JobResult<T>(
            job.Index, job.Id, job.State, job.State == JobState.Succeeded ? job.Result : default, job.Error, job.Attempt, job.Lane.Name,
            _engine.ToTimeSpan(job.Timestamp - job.SubmittedAt));
        return _parentOf is null ? result : WithTreeUnsynchronized(job, result);
    }
}
