using Microsoft.Data.Sqlite;
using Pacer.Shared;

namespace Pacer.Sqlite;

/// <summary>What a service asks of one batch: a page of its jobs, its counts, one job cancelled, and a crashed worker's claims back.</summary>
public sealed partial class SqliteJobStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> PageBatchAsync(string batchId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        using SqliteConnection connection = Open();
        using SqliteCommand list = Command(connection, null, $"SELECT {StoredJobRow.Columns} FROM jobs WHERE batch_id = $batch AND seq > $after ORDER BY seq LIMIT $limit;");
        list.Parameters.AddWithValue("$batch", batchId);
        list.Parameters.AddWithValue("$after", afterSequence);
        list.Parameters.AddWithValue("$limit", limit);
        return ValueTask.FromResult<IReadOnlyList<StoredJob>>(StoredJobRow.ReadAll(list));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> FilterBatchAsync(
        string batchId, long afterSequence, int limit, IReadOnlyCollection<StoredJobState>? states, string? lane, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        string stateFilter = states is { Count: > 0 } ? $" AND state IN ({string.Join(", ", states.Select(s => (int)s))})" : "";
        string laneFilter = lane is null ? "" : " AND lane = $lane";
        using SqliteConnection connection = Open();
        using SqliteCommand list = Command(connection, null, $"SELECT {StoredJobRow.Columns} FROM jobs WHERE batch_id = $batch AND seq > $after{stateFilter}{laneFilter} ORDER BY seq LIMIT $limit;");
        list.Parameters.AddWithValue("$batch", batchId);
        list.Parameters.AddWithValue("$after", afterSequence);
        list.Parameters.AddWithValue("$limit", limit);
        if (lane is not null)
        {
            list.Parameters.AddWithValue("$lane", lane);
        }

        return ValueTask.FromResult<IReadOnlyList<StoredJob>>(StoredJobRow.ReadAll(list));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<BatchCount>> CountBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        cancellationToken.ThrowIfCancellationRequested();
        using SqliteConnection connection = Open();
        using SqliteCommand count = Command(connection, null, "SELECT lane, state, count(*) FROM jobs WHERE batch_id = $batch GROUP BY lane, state;");
        count.Parameters.AddWithValue("$batch", batchId);
        var counts = new List<BatchCount>();
        using SqliteDataReader reader = count.ExecuteReader();
        while (reader.Read())
        {
            counts.Add(new BatchCount(reader.GetString(0), (StoredJobState)reader.GetInt32(1), reader.GetInt64(2)));
        }

        return ValueTask.FromResult<IReadOnlyList<BatchCount>>(counts);
    }

    /// <inheritdoc/>
    public ValueTask<StoredJob?> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        if (StoredJobRow.Sequence(id) is not { } sequence)
        {
            return ValueTask.FromResult<StoredJob?>(null);
        }

        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using SqliteCommand cancel = Command(connection, transaction, $"""
            UPDATE jobs SET state = {(int)StoredJobState.Cancelled}, lease_owner = NULL, lease_expires = NULL, completed_at = $now, error = 'cancelled'
            WHERE seq = $seq AND state IN ({(int)StoredJobState.Pending}, {(int)StoredJobState.Claimed});
            """);
        cancel.Parameters.AddWithValue("$seq", sequence);
        cancel.Parameters.AddWithValue("$now", StoredJobRow.Ticks(_time.GetUtcNow()));
        cancel.ExecuteNonQuery();
        using SqliteCommand get = Command(connection, transaction, $"SELECT {StoredJobRow.Columns} FROM jobs WHERE seq = $seq;");
        get.Parameters.AddWithValue("$seq", sequence);
        StoredJob? job = StoredJobRow.ReadAll(get) is [StoredJob found] ? found : null;
        transaction.Commit();
        return ValueTask.FromResult(job);
    }

    /// <inheritdoc/>
    public ValueTask<int> ReleaseAllAsync(string worker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        cancellationToken.ThrowIfCancellationRequested();
        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteCommand release = Command(connection, null, $"""
            UPDATE jobs SET state = {(int)StoredJobState.Pending}, lease_owner = NULL, lease_expires = NULL
            WHERE state = {(int)StoredJobState.Claimed} AND lease_owner = $worker;
            """);
        release.Parameters.AddWithValue("$worker", worker);
        return ValueTask.FromResult(release.ExecuteNonQuery());
    }

    /// <inheritdoc/>
    public ValueTask<int> RenewAllAsync(string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _time.GetUtcNow();
        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteCommand renew = Command(connection, null, $"""
            UPDATE jobs SET lease_expires = $expires
            WHERE state = {(int)StoredJobState.Claimed} AND lease_owner = $worker AND lease_expires > $now;
            """);
        renew.Parameters.AddWithValue("$worker", worker);
        renew.Parameters.AddWithValue("$expires", StoredJobRow.Ticks(now + lease));
        renew.Parameters.AddWithValue("$now", StoredJobRow.Ticks(now));
        return ValueTask.FromResult(renew.ExecuteNonQuery());
    }

    /// <inheritdoc/>
    public ValueTask<int> DeleteBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        cancellationToken.ThrowIfCancellationRequested();
        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteCommand delete = Command(connection, null, "DELETE FROM jobs WHERE batch_id = $batch;");
        delete.Parameters.AddWithValue("$batch", batchId);
        return ValueTask.FromResult(delete.ExecuteNonQuery());
    }

    /// <summary>
    /// Records many outcomes in one transaction: one commit (and one sync to disk) for all of them.
    /// Each is recorded only while its worker still holds the job's lease, as <see cref="CompleteAsync"/>.
    /// </summary>
    /// <param name="outcomes">The outcomes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per outcome, in order, whether it was recorded (false: the lease was lost; the outcome is dropped).</returns>
    public ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<StoredOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (StoredOutcome outcome in outcomes)
        {
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
            ArgumentException.ThrowIfNullOrEmpty(outcome.Worker, nameof(outcomes));
            if (outcome.State is not (StoredJobState.Succeeded or StoredJobState.Failed or StoredJobState.Cancelled))
            {
                throw new ArgumentOutOfRangeException(nameof(outcomes), outcome.State, $"Outcome of job {outcome.Id}: a completion must be Succeeded, Failed or Cancelled.");
            }
        }

        var recorded = new bool[outcomes.Count];
        if (outcomes.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyList<bool>>(recorded);
        }

        DateTimeOffset now = _time.GetUtcNow();
        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using SqliteCommand update = Command(connection, transaction, $"""
            UPDATE jobs SET state = $state, attempts = attempts + $attempts, result = $result, error = $error,
                lease_owner = NULL, lease_expires = NULL, completed_at = $now
            WHERE seq = $seq AND state = {(int)StoredJobState.Claimed} AND lease_owner = $worker AND lease_expires > $now;
            """);
        SqliteParameter state = update.Parameters.Add("$state", SqliteType.Integer);
        SqliteParameter attempts = update.Parameters.Add("$attempts", SqliteType.Integer);
        SqliteParameter result = update.Parameters.Add("$result", SqliteType.Text);
        SqliteParameter error = update.Parameters.Add("$error", SqliteType.Text);
        SqliteParameter seq = update.Parameters.Add("$seq", SqliteType.Integer);
        SqliteParameter worker = update.Parameters.Add("$worker", SqliteType.Text);
        update.Parameters.AddWithValue("$now", StoredJobRow.Ticks(now));
        update.Prepare();
        for (int i = 0; i < outcomes.Count; i++)
        {
            StoredOutcome outcome = outcomes[i];
            if (StoredJobRow.Sequence(outcome.Id) is not { } sequence)
            {
                continue;
            }

            state.Value = (int)outcome.State;
            attempts.Value = outcome.Attempts;
            result.Value = (object?)outcome.Result ?? DBNull.Value;
            error.Value = (object?)outcome.Error ?? DBNull.Value;
            seq.Value = sequence;
            worker.Value = outcome.Worker;
            recorded[i] = update.ExecuteNonQuery() == 1;
        }

        transaction.Commit();
        return ValueTask.FromResult<IReadOnlyList<bool>>(recorded);
    }
}
