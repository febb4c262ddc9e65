using Pacer.Tests.Sharing;

namespace Pacer.Postgres.Tests;

/// <summary>The lane state contract, kept in a real PostgreSQL (a database of its own per test).</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresLaneStateTests(PostgresServer server) : LaneStateContract, IDisposable
{
    private readonly string _connectionString = server.NewDatabase();
    private PostgresLaneState? _state;

    protected override ILaneState State => _state ??= new PostgresLaneState(_connectionString);

    /// <summary>The server restarted: its state begins again.</summary>
    protected override async Task<ILaneState> FreshAsync()
    {
        _state?.Dispose();
        await server.StopAsync();
        await server.StartAsync();
        _state = new PostgresLaneState(_connectionString);
        return _state;
    }

    public void Dispose() => _state?.Dispose();
}
