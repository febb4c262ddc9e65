using Pacer.Tests.Store;

namespace Pacer.Sqlite.Tests;

/// <summary>What pacer serve asks of a batch, kept by the SQLite store.</summary>
public sealed class SqliteBatchTests : BatchJobStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pacer-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly List<SqliteJobStore> _stores = [];

    public SqliteBatchTests() => Directory.CreateDirectory(_dir);

    protected override IBatchJobStore CreateStore()
    {
        var store = new SqliteJobStore(Path.Combine(_dir, "pacer.db"), Time);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        Directory.Delete(_dir, recursive: true);
    }
}
