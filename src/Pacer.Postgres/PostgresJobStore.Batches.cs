using Npgsql;
using Pacer.Shared;

namespace Pacer.Postgres;

/// <summary>What a service asks of one batch: a page of its jobs, its counts, its removal, and one worker's claims at once.</summary>
public sealed partial class PostgresJobStore
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> PageBatchAsync(string batchId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        FilterBatchAsync(batchId, afterSequence, limit, null, null, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredJob>> FilterBatchAsync(
        string batchId, long afterSequence, int limit, IReadOnlyCollection<StoredJobState>? states, string? lane, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        string stateFilter = states is { Count: > 0 } ? $" AND state IN ({string.Join(", ", states.Select(s => (int)s))})" : "";
        string laneFilter = lane is null ? "" : " AND lane = $4";
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var list = new NpgsqlCommand($"SELECT {StoredJobRow.Columns} FROM pacer_jobs WHERE batch_id = $1 AND seq > $2{stateFilter}{laneFilter} ORDER BY seq LIMIT $3;", connection);
        list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        list.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        list.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        if (lane is not null)
        {
            list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lane });
        }

        return StoredJobRow.ReadAll(list);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<BatchCount>> CountBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var count = new NpgsqlCommand("SELECT lane, state, count(*) FROM pacer_jobs WHERE batch_id = $1 GROUP BY lane, state;", connection);
        count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        var counts = new List<BatchCount>();
        using NpgsqlDataReader reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new BatchCount(reader.GetString(0), (StoredJobState)reader.GetInt32(1), reader.GetInt64(2)));
        }

        return counts;
    }

    /// <inheritdoc/>
    public async ValueTask<int> DeleteBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var delete = new NpgsqlCommand("DELETE FROM pacer_jobs WHERE batch_id = $1;", connection);
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<int> ReleaseAllAsync(string worker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var release = new NpgsqlCommand($"""
            UPDATE pacer_jobs SET state = {(int)StoredJobState.Pending}, lease_owner = NULL, lease_expires = NULL
            WHERE state = {(int)StoredJobState.Claimed} AND lease_owner = $1;
            """, connection, transaction);
        release.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
        int released = await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (released > 0)
        {
            // Idle workers elsewhere claim them at once.
            await NotifyAddedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <inheritdoc/>
    public async ValueTask<int> RenewAllAsync(string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        DateTimeOffset now = _time.GetUtcNow();
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var renew = new NpgsqlCommand($"""
            UPDATE pacer_jobs SET lease_expires = $2
            WHERE state = {(int)StoredJobState.Claimed} AND lease_owner = $1 AND lease_expires > $3;
            """, connection);
        renew.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
        renew.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(now + lease) });
        renew.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(now) });
        return await renew.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
