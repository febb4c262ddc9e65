using System.Collections.Concurrent;

namespace Pacer.Tests.Store;

/// <summary>
/// An in-memory store that tells the tests what a worker asked of it, and can be made to fail:
/// claims that throw, renewals that say yes without renewing.
/// </summary>
internal sealed class ObservedJobStore(InMemoryJobStore inner) : IJobStore
{
    public int ClaimFailuresLeft { get; set; }

    public bool RenewWithoutRenewing { get; set; }

    public int SingleCompletions => Volatile.Read(ref _singleCompletions);

    /// <summary>Every outcome the worker sent, in order.</summary>
    public ConcurrentQueue<StoredOutcome> Outcomes { get; } = new();

    private int _singleCompletions;

    public ValueTask<IReadOnlyList<StoredJob>> AddAsync(IReadOnlyList<JobSubmission> submissions, CancellationToken cancellationToken = default) =>
        inner.AddAsync(submissions, cancellationToken);

    public ValueTask<IReadOnlyList<StoredJob>> ClaimAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        if (ClaimFailuresLeft > 0)
        {
            ClaimFailuresLeft--;
            throw new InvalidOperationException("the store is down");
        }

        return inner.ClaimAsync(worker, max, lease, cancellationToken);
    }

    public ValueTask<bool> RenewAsync(string id, string worker, TimeSpan lease, CancellationToken cancellationToken = default) =>
        RenewWithoutRenewing ? ValueTask.FromResult(true) : inner.RenewAsync(id, worker, lease, cancellationToken);

    public ValueTask<bool> CompleteAsync(
        string id, string worker, StoredJobState state, int attempts, string? result, string? errorMessage, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _singleCompletions);
        return inner.CompleteAsync(id, worker, state, attempts, result, errorMessage, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<StoredOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        foreach (StoredOutcome outcome in outcomes)
        {
            Outcomes.Enqueue(outcome);
        }

        var recorded = new bool[outcomes.Count];
        for (int i = 0; i < outcomes.Count; i++)
        {
            StoredOutcome o = outcomes[i];
            recorded[i] = await inner.CompleteAsync(o.Id, o.Worker, o.State, o.Attempts, o.Result, o.Error, cancellationToken);
        }

        return recorded;
    }

    public ValueTask<bool> ReleaseAsync(string id, string worker, CancellationToken cancellationToken = default) => inner.ReleaseAsync(id, worker, cancellationToken);

    public ValueTask<int> CancelBatchAsync(string batchId, CancellationToken cancellationToken = default) => inner.CancelBatchAsync(batchId, cancellationToken);

    public ValueTask<StoredJob?> CancelAsync(string id, CancellationToken cancellationToken = default) => inner.CancelAsync(id, cancellationToken);

    public ValueTask<StoredJob?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<StoredJob>> ListBatchAsync(string batchId, CancellationToken cancellationToken = default) => inner.ListBatchAsync(batchId, cancellationToken);
}
