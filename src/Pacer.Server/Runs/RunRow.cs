using System.Data.Common;

namespace Pacer.Server.Runs;

/// <summary>
/// A row of a runs table as a <see cref="RunRecord"/>, for both catalogs (SQLite's <c>runs</c>,
/// PostgreSQL's <c>pacer_runs</c>): the same columns in the same order; times are UTC ticks.
/// </summary>
internal static class RunRow
{
    /// <summary>The columns every query that reads runs selects, in the order <see cref="Read"/> takes them.</summary>
    public const string Columns = "id, name, priority, max_concurrency, jobs, first_seq, created_at, started_at, finished_at, cancelled, mode";

    public static RunRecord Read(DbDataReader row) => new()
    {
        Id = row.GetString(0),
        Name = row.IsDBNull(1) ? null : row.GetString(1),
        Priority = row.GetInt32(2),
        MaxConcurrency = row.IsDBNull(3) ? null : row.GetInt32(3),
        Jobs = row.GetInt64(4),
        FirstSequence = row.GetInt64(5),
        CreatedAt = Time(row.GetInt64(6)),
        StartedAt = row.IsDBNull(7) ? null : Time(row.GetInt64(7)),
        FinishedAt = row.IsDBNull(8) ? null : Time(row.GetInt64(8)),
        Cancelled = row.GetBoolean(9), // SQLite's 0 or 1, PostgreSQL's boolean.
        Mode = row.GetString(10),
    };

    public static List<RunRecord> ReadAll(DbCommand command)
    {
        var runs = new List<RunRecord>();
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            runs.Add(Read(reader));
        }

        return runs;
    }

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
