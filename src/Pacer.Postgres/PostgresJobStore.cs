using Npgsql;
using Pacer.Shared;

namespace Pacer.Postgres;

/// <summary>
/// A shared <see cref="IJobStore"/> in PostgreSQL: any number of workers, in any number of
/// processes, claim jobs under leases (<c>FOR UPDATE SKIP LOCKED</c>, so two never wait on or take
/// the same job); a job whose lease runs out is claimed again; an outcome counts only from the
/// worker that holds the job's lease, so a late worker cannot overwrite it.
/// </summary>
/// <remarks>
/// Every call is one short transaction on a pooled connection. The tables are created and kept up
/// to date by versioned migrations, applied at start under an advisory lock. Lease times come from
/// the store's <see cref="TimeProvider"/>, so that every process sharing the database should run on
/// synchronized clocks.
/// </remarks>
public sealed partial class PostgresJobStore : IBatchJobStore, IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private int _disposed;

    /// <summary>Opens the store on <paramref name="connectionString"/>, creating or updating its tables.</summary>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=localhost;Database=pacer;Username=pacer</c>.</param>
    /// <param name="timeProvider">Where lease times come from; default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    /// <exception cref="InvalidOperationException">The database was written by a newer Pacer.</exception>
    public PostgresJobStore(string connectionString, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = PostgresDataSource.Create(connectionString);
        _time = timeProvider ?? TimeProvider.System;
        try
        {
            PostgresMigrations.Apply(_dataSource);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredJob>> ClaimAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        DateTimeOffset now = _time.GetUtcNow();
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One statement: the pending jobs and those whose lease ran out, highest priority first,
        // passing over rows another worker is claiming this moment.
        using var claim = new NpgsqlCommand($"""
            UPDATE pacer_jobs SET state = {(int)StoredJobState.Claimed}, lease_owner = $1, lease_expires = $2
            WHERE seq IN (
                SELECT seq FROM pacer_jobs
                WHERE state = {(int)StoredJobState.Pending} OR (state = {(int)StoredJobState.Claimed} AND lease_expires <= $3)
                ORDER BY priority DESC, seq
                LIMIT $4
                FOR UPDATE SKIP LOCKED)
            RETURNING {StoredJobRow.Columns};
            """, connection);
        claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
        claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(now + lease) });
        claim.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(now) });
        claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        List<StoredJob> claimed = StoredJobRow.ReadAll(claim);

        // RETURNING gives rows in no promised order: claims come highest priority first, then oldest.
        claimed.Sort((a, b) => a.Submission.Priority != b.Submission.Priority
            ? b.Submission.Priority.CompareTo(a.Submission.Priority)
            : a.Sequence.CompareTo(b.Sequence));
        return claimed;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RenewAsync(string id, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return UpdateHeldAsync(id, worker, now, "lease_expires = $4", cancellationToken, StoredJobRow.Ticks(now + lease));
    }

    /// <inheritdoc/>
    public ValueTask<bool> CompleteAsync(
        string id, string worker, StoredJobState state, int attempts, string? result, string? errorMessage, CancellationToken cancellationToken = default)
    {
        if (state is not (StoredJobState.Succeeded or StoredJobState.Failed or StoredJobState.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "A completion must be Succeeded, Failed or Cancelled.");
        }

        DateTimeOffset now = _time.GetUtcNow();
        return UpdateHeldAsync(
            id,
            worker,
            now,
            "state = $4, attempts = attempts + $5, result = $6, error = $7, lease_owner = NULL, lease_expires = NULL, completed_at = $3",
            cancellationToken,
            (int)state,
            attempts,
            result,
            errorMessage);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One statement for the whole batch: the outcomes whose worker still holds the job's lease are
    /// recorded. The jobs are found by their key (<c>seq = ANY(…)</c>), each outcome by its place in the arrays.
    /// </remarks>
    public async ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<StoredOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var sequences = new long[outcomes.Count];
        var workers = new string[outcomes.Count];
        var states = new int[outcomes.Count];
        var attempts = new int[outcomes.Count];
        var results = new string?[outcomes.Count];
        var errors = new string?[outcomes.Count];
        for (int i = 0; i < outcomes.Count; i++)
        {
            StoredOutcome outcome = outcomes[i] ?? throw new ArgumentException($"Outcome {i} is null.", nameof(outcomes));
            ArgumentException.ThrowIfNullOrEmpty(outcome.Worker, nameof(outcomes));
            if (outcome.State is not (StoredJobState.Succeeded or StoredJobState.Failed or StoredJobState.Cancelled))
            {
                throw new ArgumentOutOfRangeException(nameof(outcomes), outcome.State, $"Outcome {i} (job {outcome.Id}): a completion must be Succeeded, Failed or Cancelled.");
            }

            sequences[i] = StoredJobRow.Sequence(outcome.Id) ?? 0; // No job has sequence 0: an id that is none is not recorded.
            workers[i] = outcome.Worker;
            states[i] = (int)outcome.State;
            attempts[i] = outcome.Attempts;
            results[i] = outcome.Result;
            errors[i] = outcome.Error;
        }

        var recorded = new bool[outcomes.Count];
        if (outcomes.Count == 0)
        {
            return recorded;
        }

        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The outcomes, one per job (the first, for a job named twice), joined to their jobs by key.
        // DISTINCT ON keeps PostgreSQL's estimate of them at 200 rows whatever the table's statistics
        // say, so the plan is the outcomes outer and one primary-key lookup each (checked with stale,
        // fresh and all-claimed statistics); taking each job's outcome by array_position instead
        // cost O(n) per job (bench/store-throughput.sh: 0.62-0.67 of a bare SKIP LOCKED loop, against 0.68-0.81 this way).
        using var complete = new NpgsqlCommand($"""
            UPDATE pacer_jobs AS j SET
                state = o.state, attempts = j.attempts + o.attempts, result = o.result, error = o.error,
                lease_owner = NULL, lease_expires = NULL, completed_at = $7
            FROM (SELECT DISTINCT ON (seq) seq, worker, state, attempts, result, error
                  FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::text[]) WITH ORDINALITY
                      AS u(seq, worker, state, attempts, result, error, n)
                  ORDER BY seq, n) AS o
            WHERE j.seq = o.seq AND j.state = {(int)StoredJobState.Claimed} AND j.lease_expires > $7 AND j.lease_owner = o.worker
            RETURNING j.seq;
            """, connection);
        complete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sequences });
        complete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = workers });
        complete.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = states });
        complete.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = attempts });
        complete.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = results, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        complete.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = errors, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        complete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(_time.GetUtcNow()) });
        var updated = new HashSet<long>();
        using (NpgsqlDataReader row = await complete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                updated.Add(row.GetInt64(0));
            }
        }

        for (int i = 0; i < outcomes.Count; i++)
        {
            // A job named twice in one batch is recorded once: by the first of its outcomes.
            recorded[i] = updated.Remove(sequences[i]);
        }

        return recorded;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> ReleaseAsync(string id, string worker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        if (StoredJobRow.Sequence(id) is not { } sequence)
        {
            return false;
        }

        // One statement: the job is claimable again, and idle workers are told so at its commit.
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var release = new NpgsqlCommand($"""
            WITH released AS (
                UPDATE pacer_jobs SET state = {(int)StoredJobState.Pending}, lease_owner = NULL, lease_expires = NULL
                WHERE seq = $1 AND state = {(int)StoredJobState.Claimed} AND lease_owner = $2 AND lease_expires > $3
                RETURNING seq)
            SELECT pg_notify('{AddedChannel}', '') FROM released;
            """, connection);
        release.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        release.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
        release.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(_time.GetUtcNow()) });
        using NpgsqlDataReader row = await release.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await row.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<int> CancelBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var cancel = new NpgsqlCommand($"""
            UPDATE pacer_jobs SET state = {(int)StoredJobState.Cancelled}, lease_owner = NULL, lease_expires = NULL, completed_at = $2, error = 'cancelled'
            WHERE batch_id = $1 AND state IN ({(int)StoredJobState.Pending}, {(int)StoredJobState.Claimed});
            """, connection);
        cancel.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        cancel.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(_time.GetUtcNow()) });
        return await cancel.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<StoredJob?> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (StoredJobRow.Sequence(id) is not { } sequence)
        {
            return null;
        }

        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var cancel = new NpgsqlCommand($"""
            UPDATE pacer_jobs SET state = {(int)StoredJobState.Cancelled}, lease_owner = NULL, lease_expires = NULL, completed_at = $2, error = 'cancelled'
            WHERE seq = $1 AND state IN ({(int)StoredJobState.Pending}, {(int)StoredJobState.Claimed})
            RETURNING {StoredJobRow.Columns};
            """, connection);
        cancel.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        cancel.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(_time.GetUtcNow()) });
        return StoredJobRow.ReadAll(cancel) is [StoredJob cancelled] ? cancelled : await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<StoredJob?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (StoredJobRow.Sequence(id) is not { } sequence)
        {
            return null;
        }

        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var get = new NpgsqlCommand($"SELECT {StoredJobRow.Columns} FROM pacer_jobs WHERE seq = $1;", connection);
        get.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        return StoredJobRow.ReadAll(get) is [StoredJob job] ? job : null;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredJob>> ListBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var list = new NpgsqlCommand($"SELECT {StoredJobRow.Columns} FROM pacer_jobs WHERE batch_id = $1 ORDER BY seq;", connection);
        list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        return StoredJobRow.ReadAll(list);
    }

    /// <summary>Stops listening for added jobs and closes the store's pooled connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        StopListeningAsync().AsTask().GetAwaiter().GetResult();
        _dataSource.Dispose();
    }

    /// <summary>Stops listening for added jobs and closes the store's pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopListeningAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Changes a job the worker holds, with a lease that has not run out; false when it holds none.
    /// <paramref name="set"/> is the assignments: <c>$3</c> is now, and <paramref name="values"/> follow from <c>$4</c>.
    /// </summary>
    private async ValueTask<bool> UpdateHeldAsync(string id, string worker, DateTimeOffset now, string set, CancellationToken cancellationToken, params object?[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        if (StoredJobRow.Sequence(id) is not { } sequence)
        {
            return false;
        }

        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var update = new NpgsqlCommand($"""
            UPDATE pacer_jobs SET {set}
            WHERE seq = $1 AND state = {(int)StoredJobState.Claimed} AND lease_owner = $2 AND lease_expires > $3;
            """, connection);
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = worker });
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredJobRow.Ticks(now) });
        foreach (object? value in values)
        {
            update.Parameters.Add(value is null
                ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }
                : new NpgsqlParameter { Value = value });
        }

        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
