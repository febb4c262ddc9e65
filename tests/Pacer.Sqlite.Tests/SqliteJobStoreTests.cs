using Microsoft.Data.Sqlite;
using Pacer.Tests.Store;

namespace Pacer.Sqlite.Tests;

/// <summary>The SQLite store keeps the contract every store keeps, and what only a durable store can: its jobs outlive it.</summary>
public sealed class SqliteJobStoreTests : JobStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pacer-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly List<SqliteJobStore> _stores = [];

    public SqliteJobStoreTests() => Directory.CreateDirectory(_dir);

    private string DbPath => Path.Combine(_dir, "pacer.db");

    protected override IJobStore CreateStore() => Open();

    private SqliteJobStore Open()
    {
        var store = new SqliteJobStore(DbPath, Time);
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Jobs_leases_and_outcomes_outlive_the_store_that_wrote_them()
    {
        SqliteJobStore first = Open();
        IReadOnlyList<StoredJob> added = await first.AddAsync([
            new JobSubmission("""{"url":"https://x"}""", Lane: "openai", Priority: 3, Cost: 1200, BatchId: "b", IdempotencyKey: "k1"),
            new JobSubmission("two", BatchId: "b"),
            new JobSubmission("three", BatchId: "b"),
        ]);
        StoredJob claimed = (await first.ClaimAsync("w1", 1, Lease))[0];
        Assert.True(await first.CompleteAsync(claimed.Id, "w1", StoredJobState.Succeeded, 2, "answer", null));
        StoredJob held = (await first.ClaimAsync("crashed", 1, Lease))[0];
        first.Dispose();

        SqliteJobStore second = Open();
        IReadOnlyList<StoredJob> batch = await second.ListBatchAsync("b");
        Assert.Equal(added.Select(j => j.Id), batch.Select(j => j.Id));
        Assert.Equal(added[0].Submission, batch[0].Submission);
        Assert.Equal((StoredJobState.Succeeded, 2, "answer"), (batch[0].State, batch[0].Attempts, batch[0].Result));
        Assert.Equal((StoredJobState.Claimed, "crashed"), (batch[1].State, batch[1].LeaseOwner));
        Assert.Equal(held.Id, batch[1].Id);

        // The crashed worker's lease runs out: its job comes back to another.
        Time.Advance(Lease);
        Assert.Equal([held.Id, added[2].Id], (await second.ClaimAsync("w2", 10, Lease)).Select(j => j.Id));
        Assert.Equal(added[0].Id, (await second.AddAsync([new JobSubmission("again", IdempotencyKey: "k1")]))[0].Id);
    }

    [Fact]
    public void The_file_is_in_wal_mode_at_the_current_schema()
    {
        Open();

        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal(1L, (long?)command.ExecuteScalar());
        SqliteConnection.ClearPool(connection);
    }

    [Fact]
    public void A_file_from_a_newer_schema_is_refused_with_its_version()
    {
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(Open);
        Assert.Contains("schema 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_stores_on_one_file_never_claim_the_same_job()
    {
        SqliteJobStore a = Open();
        SqliteJobStore b = Open();
        await a.AddAsync([.. Enumerable.Range(0, 200).Select(i => new JobSubmission($"p{i}"))]);

        Task<IReadOnlyList<StoredJob>>[] claims = [.. Enumerable.Range(0, 40).Select(i => Task.Run(async () => await (i % 2 == 0 ? a : b).ClaimAsync($"w{i}", 7, Lease)))];
        IReadOnlyList<StoredJob>[] results = await Task.WhenAll(claims);

        string[] ids = [.. results.SelectMany(r => r).Select(j => j.Id)];
        Assert.Equal(200, ids.Length);
        Assert.Equal(200, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task An_id_the_store_never_gave_is_no_job()
    {
        SqliteJobStore store = Open();

        Assert.Null(await store.GetAsync("not-a-number"));
        Assert.Null(await store.GetAsync("'; DROP TABLE jobs; --"));
        Assert.False(await store.CompleteAsync("42", "w", StoredJobState.Succeeded, 1, null, null));
        Assert.Empty(await store.ListBatchAsync("missing"));
    }
}
