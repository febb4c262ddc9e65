using Microsoft.Data.Sqlite;

namespace Pacer.Server.Runs;

/// <summary>
/// The runs, in a table of their own in the store's SQLite file; their jobs are in the job store,
/// each run one batch. Every call opens a pooled connection and holds it for its statement only.
/// </summary>
internal sealed class SqliteRunCatalog : IRunCatalog
{
    private readonly string _connectionString;

    public SqliteRunCatalog(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS runs (
                id              TEXT    PRIMARY KEY,
                name            TEXT,
                priority        INTEGER NOT NULL,
                max_concurrency INTEGER,
                jobs            INTEGER NOT NULL,
                first_seq       INTEGER NOT NULL,
                created_at      INTEGER NOT NULL,
                started_at      INTEGER,
                finished_at     INTEGER,
                cancelled       INTEGER NOT NULL DEFAULT 0,
                idempotency_key TEXT    UNIQUE
            );
            CREATE INDEX IF NOT EXISTS runs_newest ON runs (created_at DESC, id);
            """);

        // Added after the table's first version: files written before it get the column, each run parallel.
        using SqliteCommand columns = Command(connection, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'mode';");
        if ((long)columns.ExecuteScalar()! == 0)
        {
            Execute(connection, $"ALTER TABLE runs ADD COLUMN mode TEXT NOT NULL DEFAULT '{ProcessingModes.Parallel}';");
        }
    }

    /// <inheritdoc/>
    public RunRecord Add(RunRecord run, string? idempotencyKey)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand insert = Command(connection, $"""
            INSERT INTO runs (id, name, priority, max_concurrency, jobs, first_seq, created_at, idempotency_key, mode)
            VALUES ($id, $name, $priority, $max, $jobs, $first, $created, $key, $mode)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING {RunRow.Columns};
            """);
        insert.Parameters.AddWithValue("$id", run.Id);
        insert.Parameters.AddWithValue("$name", (object?)run.Name ?? DBNull.Value);
        insert.Parameters.AddWithValue("$priority", run.Priority);
        insert.Parameters.AddWithValue("$max", (object?)run.MaxConcurrency ?? DBNull.Value);
        insert.Parameters.AddWithValue("$jobs", run.Jobs);
        insert.Parameters.AddWithValue("$first", run.FirstSequence);
        insert.Parameters.AddWithValue("$created", run.CreatedAt.UtcTicks);
        insert.Parameters.AddWithValue("$key", (object?)idempotencyKey ?? DBNull.Value);
        insert.Parameters.AddWithValue("$mode", run.Mode);
        return RunRow.ReadAll(insert) is [RunRecord added] ? added : FindByKey(idempotencyKey!)!;
    }

    /// <inheritdoc/>
    public void Registered(string id, long firstSequence, long jobs)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand update = Command(connection, "UPDATE runs SET first_seq = $first, jobs = $jobs WHERE id = $id;");
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$first", firstSequence);
        update.Parameters.AddWithValue("$jobs", jobs);
        update.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public bool IsRegistering(string id)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand find = Command(connection, $"SELECT 1 FROM runs WHERE id = $id AND first_seq = {IRunCatalog.Registering};");
        find.Parameters.AddWithValue("$id", id);
        return find.ExecuteScalar() is not null;
    }

    /// <inheritdoc/>
    public void RepairRegistering()
    {
        using SqliteConnection connection = Open();
        Execute(connection, $"""
            UPDATE runs SET
                first_seq = COALESCE((SELECT min(seq) FROM jobs WHERE jobs.batch_id = runs.id), {IRunCatalog.Registering}),
                jobs = (SELECT count(*) FROM jobs WHERE jobs.batch_id = runs.id)
            WHERE first_seq = {IRunCatalog.Registering};
            DELETE FROM runs WHERE first_seq = {IRunCatalog.Registering};
            """);
    }

    /// <inheritdoc/>
    public RunRecord? FindByKey(string idempotencyKey)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand find = Command(connection, $"SELECT {RunRow.Columns} FROM runs WHERE idempotency_key = $key AND first_seq <> {IRunCatalog.Registering};");
        find.Parameters.AddWithValue("$key", idempotencyKey);
        return RunRow.ReadAll(find) is [RunRecord run] ? run : null;
    }

    /// <inheritdoc/>
    public RunRecord? Get(string id)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand get = Command(connection, $"SELECT {RunRow.Columns} FROM runs WHERE id = $id AND first_seq <> {IRunCatalog.Registering};");
        get.Parameters.AddWithValue("$id", id);
        return RunRow.ReadAll(get) is [RunRecord run] ? run : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<RunRecord> List(int offset, int limit)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand list = Command(connection, $"SELECT {RunRow.Columns} FROM runs WHERE first_seq <> {IRunCatalog.Registering} ORDER BY created_at DESC, id LIMIT $limit OFFSET $offset;");
        list.Parameters.AddWithValue("$limit", limit);
        list.Parameters.AddWithValue("$offset", offset);
        return RunRow.ReadAll(list);
    }

    /// <inheritdoc/>
    public IReadOnlyList<RunRecord> FinishedBefore(DateTimeOffset before, int limit)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand list = Command(connection, $"SELECT {RunRow.Columns} FROM runs WHERE finished_at < $before AND first_seq <> {IRunCatalog.Registering} ORDER BY finished_at LIMIT $limit;");
        list.Parameters.AddWithValue("$before", before.UtcTicks);
        list.Parameters.AddWithValue("$limit", limit);
        return RunRow.ReadAll(list);
    }

    /// <inheritdoc/>
    public void MarkStarted(string id, DateTimeOffset at) =>
        Update("UPDATE runs SET started_at = $at WHERE id = $id AND started_at IS NULL;", id, at);

    /// <inheritdoc/>
    public void MarkFinished(string id, DateTimeOffset at) =>
        Update("UPDATE runs SET finished_at = $at WHERE id = $id AND finished_at IS NULL;", id, at);

    /// <inheritdoc/>
    public bool MarkCancelled(string id, DateTimeOffset at) =>
        Update("UPDATE runs SET cancelled = 1, finished_at = $at WHERE id = $id AND finished_at IS NULL;", id, at) == 1;

    /// <inheritdoc/>
    public bool Delete(string id)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand delete = Command(connection, "DELETE FROM runs WHERE id = $id;");
        delete.Parameters.AddWithValue("$id", id);
        return delete.ExecuteNonQuery() == 1;
    }

    private int Update(string sql, string id, DateTimeOffset at)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand update = Command(connection, sql);
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$at", at.UtcTicks);
        return update.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = Command(connection, sql);
        command.ExecuteNonQuery();
    }
}
