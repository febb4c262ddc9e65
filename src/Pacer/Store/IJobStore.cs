namespace Pacer;

/// <summary>
/// Where durable jobs and their outcomes live. Workers claim pending jobs under a lease, run them
/// through the engine, and record the outcome; a crashed worker's jobs come back when its lease
/// runs out. The in-memory store is the default; durable stores implement the same contract.
/// </summary>
/// <remarks>
/// The scheduler does not depend on this: a <see cref="StoreWorker"/> feeds claimed jobs to a
/// <see cref="PacerEngine"/>, whose lanes keep the limits. Every method is thread-safe.
/// </remarks>
public interface IJobStore
{
    /// <summary>Adds jobs; a submission whose idempotency key is already stored returns the stored job.</summary>
    /// <param name="submissions">The jobs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One stored job per submission, in order.</returns>
    ValueTask<IReadOnlyList<StoredJob>> AddAsync(IReadOnlyList<JobSubmission> submissions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> jobs that are pending or whose lease ran out: highest
    /// priority first, then in order of addition.
    /// </summary>
    /// <param name="worker">The claiming worker's id.</param>
    /// <param name="max">The most jobs to claim.</param>
    /// <param name="lease">How long the claim holds without renewal.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed jobs.</returns>
    ValueTask<IReadOnlyList<StoredJob>> ClaimAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease the worker still holds.</summary>
    /// <returns>False when the worker no longer holds the lease (it ran out and another worker claimed the job, or the job is final).</returns>
    ValueTask<bool> RenewAsync(string id, string worker, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Records a final outcome for a job the worker holds.</summary>
    /// <param name="id">The job.</param>
    /// <param name="worker">The worker holding its lease.</param>
    /// <param name="state">Succeeded, Failed or Cancelled.</param>
    /// <param name="attempts">Attempts the run took.</param>
    /// <param name="result">The result of a success.</param>
    /// <param name="errorMessage">The error of a failure.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the worker no longer holds the lease; the outcome is then dropped.</returns>
    ValueTask<bool> CompleteAsync(
        string id, string worker, StoredJobState state, int attempts, string? result, string? errorMessage, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records many final outcomes at once, each as <see cref="CompleteAsync"/> would: a store may
    /// write them in one statement. The default records them one by one.
    /// </summary>
    /// <param name="outcomes">The outcomes, each for a job its worker holds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One flag per outcome, in order: false when its worker no longer held the job, and the outcome was dropped.</returns>
    async ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<StoredOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var recorded = new bool[outcomes.Count];
        for (int i = 0; i < outcomes.Count; i++)
        {
            StoredOutcome outcome = outcomes[i] ?? throw new ArgumentException($"Outcome {i} is null.", nameof(outcomes));
            recorded[i] = await CompleteAsync(outcome.Id, outcome.Worker, outcome.State, outcome.Attempts, outcome.Result, outcome.Error, cancellationToken).ConfigureAwait(false);
        }

        return recorded;
    }

    /// <summary>
    /// Waits until jobs may have been added, or until <paramref name="timeout"/> has passed: an idle
    /// worker calls this between claims. A store that can tell (PostgreSQL's <c>LISTEN</c>) returns
    /// as soon as jobs are added; the default waits the whole timeout.
    /// </summary>
    /// <param name="timeout">The longest wait: the polling fallback, for jobs that become claimable without being added (a lease that ran out).</param>
    /// <param name="timeProvider">Where the timeout's time comes from.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when jobs may have been added or the timeout has passed.</returns>
    ValueTask WaitForJobsAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        new(Task.Delay(timeout, timeProvider, cancellationToken));

    /// <summary>Gives a claimed job back without an outcome (a worker shutting down), so another may claim it at once.</summary>
    /// <returns>False when the worker did not hold the lease.</returns>
    ValueTask<bool> ReleaseAsync(string id, string worker, CancellationToken cancellationToken = default);

    /// <summary>Marks every job of a batch that is not final as cancelled (claimed ones too: their outcome will be dropped).</summary>
    /// <returns>How many jobs were cancelled.</returns>
    ValueTask<int> CancelBatchAsync(string batchId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels one job that is not final: a pending one is never claimed, and the outcome of a
    /// claimed one is dropped when its worker reports it.
    /// </summary>
    /// <param name="id">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job afterwards (unchanged when it was already final), or null when there is no such job.</returns>
    ValueTask<StoredJob?> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>One job, or null.</summary>
    ValueTask<StoredJob?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every job of a batch in order of addition.</summary>
    ValueTask<IReadOnlyList<StoredJob>> ListBatchAsync(string batchId, CancellationToken cancellationToken = default);
}
