using Pacer.Tests.Sharing;

namespace Pacer.Postgres.Tests;

/// <summary>The lane state contract, kept in a real PostgreSQL (a database of its own per test).</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresLaneStateTests(PostgresServer server) : LaneStateContract, IDisposable
{
    private readonly PostgresLaneState _state = new(server.NewDatabase());

    protected override ILaneState State => _state;

    public void Dispose() => _state.Dispose();
}
