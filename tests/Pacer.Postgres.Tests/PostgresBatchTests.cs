namespace Pacer.Postgres.Tests;

/// <summary>What pacer serve asks of a batch, kept by the PostgreSQL store (a real PostgreSQL, a database of its own per test).</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresBatchTests(PostgresServer server) : Pacer.Tests.Store.BatchJobStoreContract, IDisposable
{
    private readonly string _connectionString = server.NewDatabase();
    private readonly List<PostgresJobStore> _stores = [];

    protected override IBatchJobStore CreateStore()
    {
        var store = new PostgresJobStore(_connectionString, Time);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    public void Dispose() => _stores.ForEach(s => s.Dispose());
}
