using Microsoft.Data.Sqlite;
using Pacer.Shared;

namespace Pacer.Sqlite;

/// <summary>
/// A durable <see cref="IJobStore"/> in one SQLite file in WAL mode: jobs, leases and outcomes
/// survive the process, and a crashed worker's jobs come back when their leases run out. Several
/// stores (and processes) may open one file; SQLite serializes their writes, each a short
/// transaction.
/// </summary>
/// <remarks>
/// Every call opens a pooled connection and holds it only for its statements. Claims are one
/// <c>UPDATE … RETURNING</c> on a partial index of pending jobs, after putting back the jobs whose
/// lease ran out, in one immediate transaction.
/// </remarks>
public sealed partial class SqliteJobStore : IBatchJobStore, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    /// <summary>
    /// Held for every write: this store's writers take turns in the process rather than meet on
    /// SQLite's write lock, whose busy handler sleeps (up to 100 ms a time) before it tries again.
    /// </summary>
    private readonly Lock _writing = new();

    /// <summary>Opens the store in <paramref name="path"/>, creating the file and its tables when missing.</summary>
    /// <param name="path">The database file, such as <c>pacer.db</c>.</param>
    /// <param name="timeProvider">Where lease times come from; default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="SqliteException">The file cannot be opened or is not a SQLite database.</exception>
    /// <exception cref="InvalidOperationException">The file was written by a newer Pacer.</exception>
    public SqliteJobStore(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // How long a call waits for another writer (another process) before it fails.
            DefaultTimeout = 30,
        }.ToString();
        _time = timeProvider ?? TimeProvider.System;
        Path = path;
        using SqliteConnection connection = Open();
        SqliteSchema.Apply(connection);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> AddAsync(IReadOnlyList<JobSubmission> submissions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        cancellationToken.ThrowIfCancellationRequested();
        for (int i = 0; i < submissions.Count; i++)
        {
            if (submissions[i] is null)
            {
                throw new ArgumentException($"Submission {i} is null.", nameof(submissions));
            }
        }

        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        long now = StoredJobRow.Ticks(_time.GetUtcNow());
        var added = new StoredJob[submissions.Count];
        using SqliteCommand byKey = Command(connection, transaction, $"SELECT {StoredJobRow.Columns} FROM jobs WHERE idempotency_key = $key;");
        using SqliteCommand insert = Command(connection, transaction, $"""
            INSERT INTO jobs (payload, lane, priority, cost, batch_id, idempotency_key, state, created_at)
            VALUES ($payload, $lane, $priority, $cost, $batch, $key, {(int)StoredJobState.Pending}, $now);
            """);
        SqliteParameter payload = insert.Parameters.Add("$payload", SqliteType.Text);
        SqliteParameter lane = insert.Parameters.Add("$lane", SqliteType.Text);
        SqliteParameter priority = insert.Parameters.Add("$priority", SqliteType.Integer);
        SqliteParameter cost = insert.Parameters.Add("$cost", SqliteType.Integer);
        SqliteParameter batch = insert.Parameters.Add("$batch", SqliteType.Text);
        SqliteParameter idempotencyKey = insert.Parameters.Add("$key", SqliteType.Text);
        insert.Parameters.AddWithValue("$now", now);
        insert.Prepare();
        var inserted = new List<int>(submissions.Count);
        for (int i = 0; i < submissions.Count; i++)
        {
            JobSubmission submission = submissions[i];
            if (submission.IdempotencyKey is { } key)
            {
                byKey.Parameters.Clear();
                byKey.Parameters.AddWithValue("$key", key);
                if (StoredJobRow.ReadAll(byKey) is [StoredJob existing])
                {
                    added[i] = existing;
                    continue;
                }
            }

            // One prepared statement, its parameters set in place: a run of 100,000 jobs is one transaction of cheap steps.
            payload.Value = submission.Payload;
            lane.Value = submission.Lane;
            priority.Value = submission.Priority;
            cost.Value = submission.Cost;
            batch.Value = (object?)submission.BatchId ?? DBNull.Value;
            idempotencyKey.Value = (object?)submission.IdempotencyKey ?? DBNull.Value;
            insert.ExecuteNonQuery();
            inserted.Add(i);
        }

        if (inserted.Count > 0)
        {
            // The transaction is the only writer, and AUTOINCREMENT only rises: the rows it added are the last ones, in order.
            using SqliteCommand last = Command(connection, transaction, "SELECT last_insert_rowid();");
            long first = (long)last.ExecuteScalar()! - inserted.Count + 1;
            DateTimeOffset createdAt = StoredJobRow.Time(now);
            for (int k = 0; k < inserted.Count; k++)
            {
                long sequence = first + k;
                added[inserted[k]] = new StoredJob
                {
                    Id = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Sequence = sequence,
                    Submission = submissions[inserted[k]],
                    State = StoredJobState.Pending,
                    CreatedAt = createdAt,
                };
            }
        }

        transaction.Commit();
        return ValueTask.FromResult<IReadOnlyList<StoredJob>>(added);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> ClaimAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        DateTimeOffset now = _time.GetUtcNow();
        ExpireLeases(connection, transaction, now);
        using SqliteCommand claim = Command(connection, transaction, $"""
            UPDATE jobs SET state = {(int)StoredJobState.Claimed}, lease_owner = $worker, lease_expires = $expires
            WHERE seq IN (SELECT seq FROM jobs WHERE state = {(int)StoredJobState.Pending} ORDER BY priority DESC, seq LIMIT $max)
            RETURNING {StoredJobRow.Columns};
            """);
        claim.Parameters.AddWithValue("$worker", worker);
        claim.Parameters.AddWithValue("$expires", StoredJobRow.Ticks(now + lease));
        claim.Parameters.AddWithValue("$max", max);
        List<StoredJob> claimed = StoredJobRow.ReadAll(claim);
        transaction.Commit();

        // RETURNING gives rows in no promised order: claims come highest priority first, then oldest.
        claimed.Sort((a, b) => a.Submission.Priority != b.Submission.Priority
            ? b.Submission.Priority.CompareTo(a.Submission.Priority)
            : a.Sequence.CompareTo(b.Sequence));
        return ValueTask.FromResult<IReadOnlyList<StoredJob>>(claimed);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RenewAsync(string id, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return ValueTask.FromResult(UpdateHeld(id, worker, now, "lease_expires = $expires", ("$expires", StoredJobRow.Ticks(now + lease))));
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
        return ValueTask.FromResult(UpdateHeld(
            id,
            worker,
            now,
            "state = $state, attempts = attempts + $attempts, result = $result, error = $error, lease_owner = NULL, lease_expires = NULL, completed_at = $now",
            ("$state", (int)state),
            ("$attempts", attempts),
            ("$result", result),
            ("$error", errorMessage)));
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(string id, string worker, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(UpdateHeld(id, worker, _time.GetUtcNow(), $"state = {(int)StoredJobState.Pending}, lease_owner = NULL, lease_expires = NULL"));

    /// <inheritdoc/>
    public ValueTask<int> CancelBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteCommand cancel = Command(connection, null, $"""
            UPDATE jobs SET state = {(int)StoredJobState.Cancelled}, lease_owner = NULL, lease_expires = NULL, completed_at = $now, error = 'cancelled'
            WHERE batch_id = $batch AND state IN ({(int)StoredJobState.Pending}, {(int)StoredJobState.Claimed});
            """);
        cancel.Parameters.AddWithValue("$batch", batchId);
        cancel.Parameters.AddWithValue("$now", StoredJobRow.Ticks(_time.GetUtcNow()));
        return ValueTask.FromResult(cancel.ExecuteNonQuery());
    }

    /// <inheritdoc/>
    public ValueTask<StoredJob?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (StoredJobRow.Sequence(id) is not { } sequence)
        {
            return ValueTask.FromResult<StoredJob?>(null);
        }

        using SqliteConnection connection = Open();
        using SqliteCommand get = Command(connection, null, $"SELECT {StoredJobRow.Columns} FROM jobs WHERE seq = $seq;");
        get.Parameters.AddWithValue("$seq", sequence);
        return ValueTask.FromResult(StoredJobRow.ReadAll(get) is [StoredJob job] ? job : null);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> ListBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        using SqliteConnection connection = Open();
        using SqliteCommand list = Command(connection, null, $"SELECT {StoredJobRow.Columns} FROM jobs WHERE batch_id = $batch ORDER BY seq;");
        list.Parameters.AddWithValue("$batch", batchId);
        return ValueTask.FromResult<IReadOnlyList<StoredJob>>(StoredJobRow.ReadAll(list));
    }

    /// <summary>Closes the pooled connections to the file.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Changes a job the worker holds, with a lease that has not run out; false when it holds none.</summary>
    private bool UpdateHeld(string id, string worker, DateTimeOffset now, string set, params (string Name, object? Value)[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        if (StoredJobRow.Sequence(id) is not { } sequence)
        {
            return false;
        }

        using Lock.Scope writing = _writing.EnterScope();
        using SqliteConnection connection = Open();
        using SqliteCommand update = Command(connection, null, $"""
            UPDATE jobs SET {set}
            WHERE seq = $seq AND state = {(int)StoredJobState.Claimed} AND lease_owner = $worker AND lease_expires > $now;
            """);
        update.Parameters.AddWithValue("$seq", sequence);
        update.Parameters.AddWithValue("$worker", worker);
        update.Parameters.AddWithValue("$now", StoredJobRow.Ticks(now));
        foreach ((string name, object? value) in values)
        {
            update.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return update.ExecuteNonQuery() == 1;
    }

    /// <summary>Puts jobs whose lease ran out back among the pending ones.</summary>
    private static void ExpireLeases(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now)
    {
        using SqliteCommand expire = Command(connection, transaction, $"""
            UPDATE jobs SET state = {(int)StoredJobState.Pending}, lease_owner = NULL, lease_expires = NULL
            WHERE state = {(int)StoredJobState.Claimed} AND lease_expires <= $now;
            """);
        expire.Parameters.AddWithValue("$now", StoredJobRow.Ticks(now));
        expire.ExecuteNonQuery();
    }
}
