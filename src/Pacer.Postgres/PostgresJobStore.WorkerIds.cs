using Npgsql;

namespace Pacer.Postgres;

/// <summary>One worker id at a time on a database: two workers under one id would renew and complete each other's claims.</summary>
public sealed partial class PostgresJobStore
{
    /// <summary>The first key of every worker id's advisory lock ("pacr"); the second is the id's hash.</summary>
    private const int WorkerIdLockSpace = 0x7061_6372;

    /// <summary>
    /// Holds <paramref name="workerId"/> for this process until the returned hold is disposed: a
    /// session advisory lock on a connection of its own. Another process asking for the same id
    /// meanwhile gets null. A process that dies lets go with its connection.
    /// </summary>
    /// <param name="workerId">The worker's id, as it claims under.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The hold, or null when another process holds the id (or an id whose 32-bit hash is the same).</returns>
    /// <remarks>
    /// The hold lasts as long as its connection: if PostgreSQL restarts, the id is free again until
    /// the next hold is taken, and a second worker started meanwhile under it is not refused.
    /// </remarks>
    public async ValueTask<IAsyncDisposable?> TryHoldWorkerIdAsync(string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({WorkerIdLockSpace}, hashtext($1));", connection);
            take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workerId });
            if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new WorkerIdHold(connection, workerId);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>A held worker id: let go (the lock released before the connection goes back to the pool) on dispose.</summary>
    private sealed class WorkerIdHold(NpgsqlConnection connection, string workerId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({WorkerIdLockSpace}, hashtext($1));", connection);
                release.Parameters.Add(new NpgsqlParameter<string> { TypedValue = workerId });
                await release.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                // The connection is gone, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
