using System.Data.Common;
using System.Globalization;

namespace Pacer.Shared;

/// <summary>
/// A row of a store's jobs table as a <see cref="StoredJob"/>, for every store on ADO.NET (SQLite,
/// PostgreSQL): the same columns in the same order; times are UTC ticks; a job's id is its sequence.
/// </summary>
internal static class StoredJobRow
{
    /// <summary>The columns every query that reads jobs selects, in the order <see cref="Read"/> takes them.</summary>
    public const string Columns =
        "seq, payload, lane, priority, cost, batch_id, idempotency_key, state, attempts, lease_owner, lease_expires, result, error, created_at, completed_at";

    public static StoredJob Read(DbDataReader row)
    {
        long sequence = row.GetInt64(0);
        return new StoredJob
        {
            Id = sequence.ToString(CultureInfo.InvariantCulture),
            Sequence = sequence,
            Submission = new JobSubmission(
                row.GetString(1),
                Lane: row.GetString(2),
                Priority: row.GetInt32(3),
                Cost: row.GetInt64(4),
                BatchId: row.IsDBNull(5) ? null : row.GetString(5),
                IdempotencyKey: row.IsDBNull(6) ? null : row.GetString(6)),
            State = (StoredJobState)row.GetInt32(7),
            Attempts = row.GetInt32(8),
            LeaseOwner = row.IsDBNull(9) ? null : row.GetString(9),
            LeaseExpiresAt = row.IsDBNull(10) ? null : Time(row.GetInt64(10)),
            Result = row.IsDBNull(11) ? null : row.GetString(11),
            Error = row.IsDBNull(12) ? null : row.GetString(12),
            CreatedAt = Time(row.GetInt64(13)),
            CompletedAt = row.IsDBNull(14) ? null : Time(row.GetInt64(14)),
        };
    }

    public static List<StoredJob> ReadAll(DbCommand command)
    {
        var jobs = new List<StoredJob>();
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    public static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    /// <summary>The store's id for a job, or null for an id a store never gives.</summary>
    public static long? Sequence(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) ? sequence : null;
}
