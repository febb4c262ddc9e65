using Npgsql;
using Pacer.Shared;

namespace Pacer.Postgres;

/// <summary>Adding jobs: one add at a time across every process, so a call's jobs are numbered one after another.</summary>
public sealed partial class PostgresJobStore
{
    /// <summary>The advisory lock adds take turns under ("pacer_ad").</summary>
    private const long AddLockKey = 0x7061_6365_725F_6164;

    /// <summary>The most jobs one insert statement adds.</summary>
    private const int InsertChunk = 10_000;

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<StoredJob>> AddAsync(IReadOnlyList<JobSubmission> submissions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        for (int i = 0; i < submissions.Count; i++)
        {
            if (submissions[i] is null)
            {
                throw new ArgumentException($"Submission {i} is null.", nameof(submissions));
            }
        }

        var added = new StoredJob[submissions.Count];
        long now = StoredJobRow.Ticks(_time.GetUtcNow());
        using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // One add at a time across every process, until commit: the jobs of one call get sequence
        // numbers that follow each other, so a batch's job N is its first's sequence + N.
        using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1);", connection, transaction))
        {
            turn.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AddLockKey });
            await turn.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (submissions.All(static s => s.IdempotencyKey is null))
        {
            await InsertUnkeyedAsync(connection, transaction, submissions, now, added, cancellationToken).ConfigureAwait(false);
            if (submissions.Count > 0)
            {
                await NotifyAddedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return added;
        }

        using var insert = new NpgsqlCommand($"""
            INSERT INTO pacer_jobs (payload, lane, priority, cost, batch_id, idempotency_key, state, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, {(int)StoredJobState.Pending}, $7)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING {StoredJobRow.Columns};
            """, connection, transaction);
        using var byKey = new NpgsqlCommand($"SELECT {StoredJobRow.Columns} FROM pacer_jobs WHERE idempotency_key = $1;", connection, transaction);
        for (int i = 0; i < submissions.Count; i++)
        {
            JobSubmission submission = submissions[i];
            insert.Parameters.Clear();
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = submission.Payload });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = submission.Lane });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = submission.Priority });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = submission.Cost });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)submission.BatchId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)submission.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
            if (StoredJobRow.ReadAll(insert) is [StoredJob stored])
            {
                added[i] = stored;
                continue;
            }

            // Its idempotency key is known: the job stored under it.
            byKey.Parameters.Clear();
            byKey.Parameters.Add(new NpgsqlParameter<string> { TypedValue = submission.IdempotencyKey! });
            added[i] = StoredJobRow.ReadAll(byKey).Single();
        }

        if (submissions.Count > 0)
        {
            // Delivered at commit, once however many jobs were added: idle workers wake and claim.
            await NotifyAddedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>
    /// Inserts jobs without idempotency keys (none can conflict) in statements of up to
    /// <see cref="InsertChunk"/> rows, each from arrays (<c>unnest</c>) in the order given, under the
    /// add lock: their sequence numbers follow that order. Only the sequence numbers come back.
    /// </summary>
    private static async Task InsertUnkeyedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<JobSubmission> submissions, long now, StoredJob[] added, CancellationToken cancellationToken)
    {
        using var insert = new NpgsqlCommand($"""
            INSERT INTO pacer_jobs (payload, lane, priority, cost, batch_id, state, created_at)
            SELECT p, l, pr, c, b, {(int)StoredJobState.Pending}, $6
            FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::text[]) WITH ORDINALITY AS t(p, l, pr, c, b, o)
            ORDER BY o
            RETURNING seq;
            """, connection, transaction);
        for (int from = 0; from < submissions.Count; from += InsertChunk)
        {
            int count = Math.Min(InsertChunk, submissions.Count - from);
            var payloads = new string[count];
            var lanes = new string[count];
            var priorities = new int[count];
            var costs = new long[count];
            var batches = new string?[count];
            for (int i = 0; i < count; i++)
            {
                JobSubmission submission = submissions[from + i];
                (payloads[i], lanes[i], priorities[i], costs[i], batches[i]) = (submission.Payload, submission.Lane, submission.Priority, submission.Cost, submission.BatchId);
            }

            insert.Parameters.Clear();
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payloads });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = lanes });
            insert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = priorities });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = costs });
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = batches });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
            var sequences = new List<long>(count);
            using (NpgsqlDataReader reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    sequences.Add(reader.GetInt64(0));
                }
            }

            // Numbered in the order inserted, which is the order given.
            sequences.Sort();
            for (int i = 0; i < count; i++)
            {
                added[from + i] = new StoredJob
                {
                    Id = sequences[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Sequence = sequences[i],
                    Submission = submissions[from + i],
                    State = StoredJobState.Pending,
                    CreatedAt = StoredJobRow.Time(now),
                };
            }
        }
    }
}
