using Microsoft.Data.Sqlite;

namespace Pacer.Sqlite;

/// <summary>
/// The store's tables, created or brought up to date when a store opens its file. The version lives
/// in SQLite's <c>user_version</c>; each step runs once, in one transaction with the version it sets.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Each version's statements, in order: version N is <c>Steps[N - 1]</c>.</summary>
    private static readonly string[] s_steps =
    [
        """
        CREATE TABLE jobs (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            payload         TEXT    NOT NULL,
            lane            TEXT    NOT NULL,
            priority        INTEGER NOT NULL,
            cost            INTEGER NOT NULL,
            batch_id        TEXT,
            idempotency_key TEXT    UNIQUE,
            state           INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            lease_owner     TEXT,
            lease_expires   INTEGER,
            result          TEXT,
            error           TEXT,
            created_at      INTEGER NOT NULL,
            completed_at    INTEGER
        );
        -- Claims read pending jobs by priority, then order of addition; and expired leases by time.
        CREATE INDEX jobs_pending ON jobs (priority DESC, seq) WHERE state = 0;
        CREATE INDEX jobs_leases ON jobs (lease_expires) WHERE state = 1;
        CREATE INDEX jobs_batch ON jobs (batch_id, seq) WHERE batch_id IS NOT NULL;
        """,
    ];

    /// <summary>The version this code writes.</summary>
    public static int Version => s_steps.Length;

    /// <summary>Switches the file to WAL and applies the steps it lacks.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer Pacer.</exception>
    public static void Apply(SqliteConnection connection)
    {
        using (SqliteCommand wal = connection.CreateCommand())
        {
            // WAL: readers never wait for the writer, and a crash loses no committed transaction.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        int current = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Version)
        {
            throw new InvalidOperationException($"The job store was written by a newer Pacer (schema {current}; this one knows up to {Version}).");
        }

        for (int version = current + 1; version <= Version; version++)
        {
            using SqliteCommand step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = $"{s_steps[version - 1]}\nPRAGMA user_version = {version};";
            step.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
