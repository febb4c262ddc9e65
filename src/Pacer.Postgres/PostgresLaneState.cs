using Npgsql;

namespace Pacer.Postgres;

/// <summary>
/// Lane state in PostgreSQL, for deployments that run only PostgreSQL: every process whose lane
/// names the same database and lane keeps its request rates, cost rates, quota and concurrency limit together.
/// The state lives in <c>UNLOGGED</c> tables; each decision is one call of a function that locks
/// the lane's row, timed by the server's <c>clock_timestamp()</c>, never by a process's clock.
/// </summary>
public sealed class PostgresLaneState : ILaneState, IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Keeps lane state in the database at <paramref name="connectionString"/>, creating or updating its tables.</summary>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=localhost;Database=pacer;Username=pacer</c>.</param>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    /// <exception cref="InvalidOperationException">The database was written by a newer Pacer.</exception>
    public PostgresLaneState(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = PostgresDataSource.Create(connectionString);
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
    public async ValueTask<StartGrant> ReserveStartsAsync(string lane, StartRequest request, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckReserve(lane, request);
        IReadOnlyList<SharedRate> rates = request.Rates;
        SharedQuota quota = request.Quota ?? default;
        using NpgsqlCommand command = _dataSource.CreateCommand("SELECT pacer_reserve_starts($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);");
        command.Parameters.Add(new NpgsqlParameter { Value = lane });
        command.Parameters.Add(new NpgsqlParameter { Value = rates.Select(r => r.Permits).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rates.Select(r => r.PeriodMicroseconds).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rates.Select(r => r.Burst).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rates.Select(r => r.CountsCost).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Costs.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = request.CostAdjustment });
        command.Parameters.Add(new NpgsqlParameter { Value = request.HorizonMicroseconds });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Quota is null ? 0L : quota.Limit });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Max(1, quota.PeriodMicroseconds) });
        command.Parameters.Add(new NpgsqlParameter { Value = quota.OffsetMicroseconds });
        command.Parameters.Add(new NpgsqlParameter { Value = quota.CountsCost });
        var values = (long[])(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new StartGrant(values[1..], values[0]);
    }

    /// <inheritdoc/>
    public async ValueTask<int> AcquireSlotsAsync(string lane, int maxConcurrency, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckAcquire(lane, maxConcurrency, leases, ttl);
        if (leases.Count == 0)
        {
            return 0;
        }

        using NpgsqlCommand command = _dataSource.CreateCommand("SELECT pacer_acquire_slots($1, $2, $3, $4);");
        command.Parameters.Add(new NpgsqlParameter { Value = lane });
        command.Parameters.Add(new NpgsqlParameter { Value = maxConcurrency });
        command.Parameters.Add(new NpgsqlParameter { Value = leases.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = LaneStateArguments.Micros(ttl) });
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async ValueTask<int> RenewSlotsAsync(string lane, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckLeases(lane, leases, ttl);
        if (leases.Count == 0)
        {
            return 0;
        }

        using NpgsqlCommand command = _dataSource.CreateCommand("SELECT pacer_renew_slots($1, $2, $3);");
        command.Parameters.Add(new NpgsqlParameter { Value = lane });
        command.Parameters.Add(new NpgsqlParameter { Value = leases.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = LaneStateArguments.Micros(ttl) });
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseSlotsAsync(string lane, IReadOnlyList<string> leases, CancellationToken cancellationToken)
    {
        LaneStateArguments.CheckLeases(lane, leases, TimeSpan.FromSeconds(1));
        if (leases.Count == 0)
        {
            return;
        }

        using NpgsqlCommand command = _dataSource.CreateCommand("DELETE FROM pacer_lane_slots WHERE lane = $1 AND lease = ANY ($2);");
        command.Parameters.Add(new NpgsqlParameter { Value = lane });
        command.Parameters.Add(new NpgsqlParameter { Value = leases.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => _dataSource.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
