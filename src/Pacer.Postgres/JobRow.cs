using Npgsql;

namespace Pacer.Postgres;

/// <summary>A row of <c>pacer_jobs</c> as a <see cref="StoredJob"/>; times are UTC ticks.</summary>
internal static class JobRow
{
    /// <summary>The columns every query that reads jobs selects, in the order <see cref="Read"/> takes them.</summary>
    public const string Columns =
        "seq, payload, lane, priority, cost, batch_id, idempotency_key, state, attempts, lease_owner, lease_expires, result, error, created_at, completed_at";

    public static StoredJob Read(NpgsqlDataReader row)
    {
        long sequence = row.GetInt64(0);
        return new StoredJob
        {
            Id = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Sequence = sequence,
            Submission = new JobSubmission(
                row.GetString(1),
                Lane: row.GetString(2),
                Priority: row.GetInt32(3),
                Cost: row.GetInt64(4),
                BatchId: row.IsDBNull(5) ? null : row.GetString(5),
                IdempotencyKey: row.IsDBNull(6) ? null : row.GetString(6)),
            State = (StoredJobState)row.GetInt16(7),
            Attempts = row.GetInt32(8),
            LeaseOwner = row.IsDBNull(9) ? null : row.GetString(9),
            LeaseExpiresAt = row.IsDBNull(10) ? null : Time(row.GetInt64(10)),
            Result = row.IsDBNull(11) ? null : row.GetString(11),
            Error = row.IsDBNull(12) ? null : row.GetString(12),
            CreatedAt = Time(row.GetInt64(13)),
            CompletedAt = row.IsDBNull(14) ? null : Time(row.GetInt64(14)),
        };
    }

    public static List<StoredJob> ReadAll(NpgsqlCommand command)
    {
        var jobs = new List<StoredJob>();
        using NpgsqlDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    public static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    /// <summary>The store's id for a job, or null for an id this store never gives.</summary>
    public static long? Sequence(string id) =>
        long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long sequence) ? sequence : null;
}
