namespace Pacer;

/// <summary>
/// A job store that also answers what a service asks of one batch: a page of its jobs, its counts,
/// its removal, and every claim of one worker at once. <c>pacer serve</c> keeps each run as one
/// batch in such a store (SQLite in one file, PostgreSQL shared by many processes).
/// </summary>
public interface IBatchJobStore : IJobStore
{
    /// <summary>Up to <paramref name="limit"/> jobs of a batch after <paramref name="afterSequence"/>, in order of addition.</summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="afterSequence">The sequence number the page starts after (0 for the first page).</param>
    /// <param name="limit">The most jobs to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    ValueTask<IReadOnlyList<StoredJob>> PageBatchAsync(string batchId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> jobs of a batch after <paramref name="afterSequence"/>, in
    /// order of addition, that are in one of <paramref name="states"/> and in <paramref name="lane"/>.
    /// </summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="afterSequence">The sequence number the page starts after (0 for the first page).</param>
    /// <param name="limit">The most jobs to return.</param>
    /// <param name="states">The states wanted; null or empty for any.</param>
    /// <param name="lane">The lane wanted; null for any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    ValueTask<IReadOnlyList<StoredJob>> FilterBatchAsync(
        string batchId, long afterSequence, int limit, IReadOnlyCollection<StoredJobState>? states, string? lane, CancellationToken cancellationToken = default);

    /// <summary>How many jobs of a batch are in each lane and state (pairs with none are left out).</summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One count per lane and state.</returns>
    ValueTask<IReadOnlyList<BatchCount>> CountBatchAsync(string batchId, CancellationToken cancellationToken = default);

    /// <summary>Removes every job of a batch, final or not.</summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many jobs were removed.</returns>
    ValueTask<int> DeleteBatchAsync(string batchId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts every job <paramref name="worker"/> holds back among the pending ones, leases or not: a
    /// worker starting again under the id it had before a crash takes its jobs up at once instead
    /// of after their leases, and one that stops gives back what it held in one statement.
    /// </summary>
    /// <param name="worker">The worker's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many jobs were given back.</returns>
    ValueTask<int> ReleaseAllAsync(string worker, CancellationToken cancellationToken = default);

    /// <summary>Extends every lease <paramref name="worker"/> still holds, in one statement.</summary>
    /// <param name="worker">The worker's id.</param>
    /// <param name="lease">How long the leases hold from now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many leases were extended.</returns>
    ValueTask<int> RenewAllAsync(string worker, TimeSpan lease, CancellationToken cancellationToken = default);
}
