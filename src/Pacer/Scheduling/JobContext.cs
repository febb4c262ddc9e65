namespace Pacer;

/// <summary>What the work of a job sees of its attempt.</summary>
public readonly struct JobContext
{
    private readonly Job _job;

    internal JobContext(Job job, CancellationToken cancellationToken)
    {
        _job = job;
        CancellationToken = cancellationToken;
    }

    /// <summary>Cancelled when the job, its batch or the engine is cancelled, or the attempt times out.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The attempt number, from 1.</summary>
    public int Attempt => _job.Attempt;

    /// <summary>The job's id, unique within its engine.</summary>
    public long JobId => _job.Id;

    /// <summary>The lane the job runs in.</summary>
    public string Lane => _job.Lane.Name;

    /// <summary>The job's position in its batch, or -1 for a lone job.</summary>
    public int Index => _job.Index;

    /// <summary>The state object the job was submitted with, if any.</summary>
    public object? State => _job.Item;

    /// <summary>
    /// Says how far the work is, for progress views and the job's ETA: <see cref="JobHandle{T}.Progress"/>,
    /// <see cref="Batch{T}.GetProgress"/>, <see cref="JobEventArgs.Progress"/> and the engine's
    /// <see cref="PacerEngine.JobProgressed"/> event. The ETA is the attempt's time so far at this pace.
    /// </summary>
    /// <param name="fraction">From 0 to 1.</param>
    /// <param name="note">What to show with it, such as "page 3 of 10".</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not a number from 0 to 1.</exception>
    public void ReportProgress(double fraction, string? note = null) => _job.Lane.Engine.ReportProgress(_job, fraction, note);

    /// <summary>
    /// Replaces the cost estimate of this attempt with the real cost (for example the tokens the
    /// service reports having used). The lane's cost rates and cost quota are corrected at once.
    /// </summary>
    /// <param name="actualCost">The real cost; at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actualCost"/> is negative.</exception>
    public void ReportCost(long actualCost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actualCost);
        _job.Lane.Engine.AdjustCost(_job, actualCost);
    }

    /// <summary>
    /// Adds a child job to this job's batch (a page of a listing, a suite of a project), with its own
    /// lane and priority. Children start as their lanes allow; results gather in tree order (this
    /// job, then its children in the order added, depth first). A child whose
    /// <see cref="JobOptions.IdempotencyKey"/> another child of the batch already has is not added
    /// again (an item listed on two pages): this returns the first one's index, and its result
    /// appears once, where it was first added.
    /// </summary>
    /// <typeparam name="T">The batch's result type.</typeparam>
    /// <param name="work">The child's work.</param>
    /// <param name="state">The child's state object.</param>
    /// <param name="options">The child's options; default: the batch's.</param>
    /// <returns>The child's index in the batch.</returns>
    /// <exception cref="InvalidOperationException">This job is not in a <see cref="Batch{T}"/> of <typeparamref name="T"/>.</exception>
    public int AddChild<T>(Func<JobContext, ValueTask<T>> work, object? state = null, JobOptions? options = null) =>
        _job is Job<T> { Owner: Batch<T> batch } parent
            ? batch.AddChild(parent, work, state, options)
            : throw new InvalidOperationException($"Only a job of a Batch<{typeof(T).Name}> can add children of that type.");

    /// <summary>
    /// Waits until every child this job has added is final, and returns their results in order. The
    /// job keeps its concurrency slot while it waits: give children a lane with room of its own, or
    /// return and let the batch gather the results.
    /// </summary>
    /// <typeparam name="T">The batch's result type.</typeparam>
    /// <returns>The children's results.</returns>
    /// <exception cref="InvalidOperationException">This job is not in a <see cref="Batch{T}"/> of <typeparamref name="T"/>.</exception>
    public Task<IReadOnlyList<JobResult<T>>> WhenChildrenAsync<T>() =>
        _job is Job<T> { Owner: Batch<T> batch } parent
            ? batch.WhenChildrenAsync(parent).WaitAsync(CancellationToken)
            : throw new InvalidOperationException($"Only a job of a Batch<{typeof(T).Name}> has children of that type.");

    /// <summary>
    /// Settles the attempt's outcome though its work goes on (for example, an answer has been
    /// handed on and only its body is still streaming): the attempt's timeout no longer applies,
    /// so it can neither fail nor retry the job. The attempt keeps its slots until the work
    /// returns; cancellation of the job, its batch or the engine still reaches the work.
    /// </summary>
    /// <returns>
    /// False when it is too late: the attempt has timed out (the job has moved on to a retry or
    /// failed) or the job was cancelled. The work's result will then not be the job's.
    /// </returns>
    public bool TryStopTimeout() => _job.Lane.Engine.TryStopTimeout(_job, CancellationToken);

    /// <summary>
    /// Passes on what the service said about its limits (read from its answer, whether the attempt
    /// succeeds or fails). A retry-after pauses the whole lane until then; no requests remaining
    /// pauses it until the reset.
    /// </summary>
    /// <param name="hints">The service's hints.</param>
    public void ReportHints(OutcomeHints hints)
    {
        ArgumentNullException.ThrowIfNull(hints);
        _job.Lane.Engine.ApplyHints(_job, hints);
    }
}
