using Npgsql;
using NpgsqlTypes;

namespace Pacer.Server.Runs;

/// <summary>
/// The runs in PostgreSQL (<c>pacer_runs</c>, made by the job store's migrations), beside their
/// jobs in <c>pacer_jobs</c>: every server and worker on the database sees the same runs. Every
/// call is one statement on a pooled connection.
/// </summary>
internal sealed class PostgresRunCatalog(NpgsqlDataSource dataSource, TimeProvider time) : IRunCatalog
{
    /// <summary>How long a run may stay registering without jobs before a starting server takes it for one a crash left behind.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public RunRecord Add(RunRecord run, string? idempotencyKey)
    {
        using NpgsqlCommand insert = Command($"""
            INSERT INTO pacer_runs (id, name, priority, max_concurrency, jobs, first_seq, created_at, idempotency_key, mode)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING {RunRow.Columns};
            """,
            run.Id, run.Name, run.Priority, run.MaxConcurrency, run.Jobs, run.FirstSequence, run.CreatedAt.UtcTicks, idempotencyKey, run.Mode);
        if (RunRow.ReadAll(insert) is [RunRecord added])
        {
            return added;
        }

        // The key is another run's: one served, or one another server is storing right now.
        using NpgsqlCommand find = Command($"SELECT {RunRow.Columns} FROM pacer_runs WHERE idempotency_key = $1;", idempotencyKey);
        return RunRow.ReadAll(find).Single();
    }

    /// <inheritdoc/>
    public void Registered(string id, long firstSequence, long jobs)
    {
        using NpgsqlCommand update = Command("UPDATE pacer_runs SET first_seq = $2, jobs = $3 WHERE id = $1;", id, firstSequence, jobs);
        update.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public bool IsRegistering(string id)
    {
        using NpgsqlCommand find = Command($"SELECT 1 FROM pacer_runs WHERE id = $1 AND first_seq = {IRunCatalog.Registering};", id);
        return find.ExecuteScalar() is not null;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Other servers may be storing a run's jobs right now: a run whose jobs are committed is served,
    /// and one without jobs is removed only once it is older than any add could take.
    /// </remarks>
    public void RepairRegistering()
    {
        using NpgsqlCommand repair = Command($"""
            UPDATE pacer_runs SET first_seq = j.first, jobs = j.jobs
            FROM (SELECT batch_id, min(seq) AS first, count(*) AS jobs FROM pacer_jobs
                  WHERE batch_id IN (SELECT id FROM pacer_runs WHERE first_seq = {IRunCatalog.Registering}) GROUP BY batch_id) AS j
            WHERE pacer_runs.id = j.batch_id AND pacer_runs.first_seq = {IRunCatalog.Registering};
            """);
        repair.ExecuteNonQuery();
        using NpgsqlCommand remove = Command(
            $"DELETE FROM pacer_runs WHERE first_seq = {IRunCatalog.Registering} AND created_at < $1;",
            (time.GetUtcNow() - AbandonedAfter).UtcTicks);
        remove.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public RunRecord? FindByKey(string idempotencyKey)
    {
        using NpgsqlCommand find = Command($"SELECT {RunRow.Columns} FROM pacer_runs WHERE idempotency_key = $1 AND first_seq <> {IRunCatalog.Registering};", idempotencyKey);
        return RunRow.ReadAll(find) is [RunRecord run] ? run : null;
    }

    /// <inheritdoc/>
    public RunRecord? Get(string id)
    {
        using NpgsqlCommand get = Command($"SELECT {RunRow.Columns} FROM pacer_runs WHERE id = $1 AND first_seq <> {IRunCatalog.Registering};", id);
        return RunRow.ReadAll(get) is [RunRecord run] ? run : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<RunRecord> List(int offset, int limit)
    {
        using NpgsqlCommand list = Command($"SELECT {RunRow.Columns} FROM pacer_runs WHERE first_seq <> {IRunCatalog.Registering} ORDER BY created_at DESC, id LIMIT $1 OFFSET $2;", limit, offset);
        return RunRow.ReadAll(list);
    }

    /// <inheritdoc/>
    public IReadOnlyList<RunRecord> FinishedBefore(DateTimeOffset before, int limit)
    {
        using NpgsqlCommand list = Command($"SELECT {RunRow.Columns} FROM pacer_runs WHERE finished_at < $1 AND first_seq <> {IRunCatalog.Registering} ORDER BY finished_at LIMIT $2;", before.UtcTicks, limit);
        return RunRow.ReadAll(list);
    }

    /// <inheritdoc/>
    public void MarkStarted(string id, DateTimeOffset at) =>
        Update("UPDATE pacer_runs SET started_at = $2 WHERE id = $1 AND started_at IS NULL;", id, at);

    /// <inheritdoc/>
    public void MarkFinished(string id, DateTimeOffset at) =>
        Update("UPDATE pacer_runs SET finished_at = $2 WHERE id = $1 AND finished_at IS NULL;", id, at);

    /// <inheritdoc/>
    public bool MarkCancelled(string id, DateTimeOffset at) =>
        Update("UPDATE pacer_runs SET cancelled = true, finished_at = $2 WHERE id = $1 AND finished_at IS NULL;", id, at) == 1;

    /// <inheritdoc/>
    public bool Delete(string id)
    {
        using NpgsqlCommand delete = Command("DELETE FROM pacer_runs WHERE id = $1;", id);
        return delete.ExecuteNonQuery() == 1;
    }

    private int Update(string sql, string id, DateTimeOffset at)
    {
        using NpgsqlCommand update = Command(sql, id, at.UtcTicks);
        return update.ExecuteNonQuery();
    }

    /// <summary>A command on its own pooled connection, which closes with it; <paramref name="values"/> are $1, $2, … (null as a NULL).</summary>
    private NpgsqlCommand Command(string sql, params object?[] values)
    {
        NpgsqlCommand command = dataSource.CreateCommand(sql);
        foreach (object? value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }
}
