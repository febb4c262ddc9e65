using Npgsql;
using Pacer.Tests.Store;

namespace Pacer.Postgres.Tests;

/// <summary>
/// The PostgreSQL store keeps the contract every store keeps, against a real PostgreSQL (a
/// database of its own per test), and what a shared store must: workers claiming at once never
/// take one job twice, and processes starting at once apply the migrations once.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresJobStoreTests(PostgresServer server) : JobStoreContract, IDisposable
{
    private readonly string _connectionString = server.NewDatabase();
    private readonly List<PostgresJobStore> _stores = [];

    protected override IJobStore CreateStore() => Open();

    private PostgresJobStore Open()
    {
        var store = new PostgresJobStore(_connectionString, Time);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    public void Dispose() => _stores.ForEach(s => s.Dispose());

    [Fact]
    public async Task AnIdleWorkersWait_EndsWhenAnotherProcessAddsJobs_NotAtItsTimeout()
    {
        // Real time: the wake is PostgreSQL's NOTIFY, delivered on another connection.
        using var waiting = new PostgresJobStore(_connectionString);
        using var adding = new PostgresJobStore(_connectionString);
        await waiting.WaitForJobsAsync(TimeSpan.FromMilliseconds(1), TimeProvider.System); // Starts listening.
        await Eventually.HoldsAsync(() => waiting.IsListening, "the store to listen", TimeSpan.FromSeconds(30));
        await waiting.WaitForJobsAsync(TimeSpan.FromMilliseconds(1), TimeProvider.System); // Takes the wake a new listener gives itself.

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task wait = waiting.WaitForJobsAsync(TimeSpan.FromMinutes(5), TimeProvider.System).AsTask();
        Assert.False(wait.IsCompleted);
        await adding.AddAsync([new JobSubmission("a")]);

        await wait.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"the wait ended after {clock.Elapsed}, not when the job was added");
        Assert.Single(await waiting.ClaimAsync("w", 10, Lease));
    }

    [Fact]
    public async Task AnIdleWorkersWait_EndsWhenAnotherProcessGivesAJobBack()
    {
        // Real time, as above: the wake is the release's NOTIFY.
        using var waiting = new PostgresJobStore(_connectionString);
        using var giving = new PostgresJobStore(_connectionString);
        await giving.AddAsync([new JobSubmission("a")]);
        StoredJob held = Assert.Single(await giving.ClaimAsync("giver", 10, Lease));
        await waiting.WaitForJobsAsync(TimeSpan.FromMilliseconds(1), TimeProvider.System); // Starts listening.
        await Eventually.HoldsAsync(() => waiting.IsListening, "the store to listen", TimeSpan.FromSeconds(30));
        await waiting.WaitForJobsAsync(TimeSpan.FromMilliseconds(1), TimeProvider.System); // Takes the wakes so far.

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task wait = waiting.WaitForJobsAsync(TimeSpan.FromMinutes(5), TimeProvider.System).AsTask();
        Assert.False(wait.IsCompleted);
        Assert.True(await giving.ReleaseAsync(held.Id, "giver"));
        Assert.False(await giving.ReleaseAsync(held.Id, "giver"));

        await wait.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"the wait ended after {clock.Elapsed}, not when the job was given back");
        Assert.Single(await waiting.ClaimAsync("w", 10, Lease));
    }

    [Fact]
    public async Task AWorkerId_IsHeldByOneProcessAtATime_AndFreeAgainOnceLetGo()
    {
        // Two stores, each with a pool of its own, as two processes would have.
        PostgresJobStore first = Open();
        PostgresJobStore second = Open();

        IAsyncDisposable? held = await first.TryHoldWorkerIdAsync("w1");
        Assert.NotNull(held);
        Assert.Null(await second.TryHoldWorkerIdAsync("w1"));
        IAsyncDisposable? other = await second.TryHoldWorkerIdAsync("w2");
        Assert.NotNull(other);

        await held.DisposeAsync();
        IAsyncDisposable? again = await second.TryHoldWorkerIdAsync("w1");
        Assert.NotNull(again);
        await again.DisposeAsync();
        await other.DisposeAsync();
    }

    [Fact]
    public async Task WorkersClaimingAtOnce_NeverTakeOneJobTwice_AndTakeEveryJob()
    {
        PostgresJobStore setup = Open();
        await setup.AddAsync([.. Enumerable.Range(0, 400).Select(i => new JobSubmission(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Priority: i % 3))]);

        // Four workers, each with a store (and pool) of its own, as four processes would have.
        PostgresJobStore[] workers = [Open(), Open(), Open(), Open()];
        var claimed = new System.Collections.Concurrent.ConcurrentBag<(string Worker, string Id)>();
        await Task.WhenAll(workers.Select((store, w) => Task.Run(async () =>
        {
            while (await store.ClaimAsync("w" + w, 7, Lease) is { Count: > 0 } jobs)
            {
                foreach (StoredJob job in jobs)
                {
                    claimed.Add(("w" + w, job.Id));
                    Assert.True(await store.CompleteAsync(job.Id, "w" + w, StoredJobState.Succeeded, 1, "ok", null));
                }
            }
        })));

        Assert.Equal(400, claimed.Count);
        Assert.Equal(400, claimed.Select(c => c.Id).Distinct().Count());
        Assert.True(claimed.Select(c => c.Worker).Distinct().Count() > 1, "one worker took every job");
    }

    [Fact]
    public async Task StoresStartingAtOnce_ApplyEachMigrationOnce()
    {
        string fresh = server.NewDatabase();
        PostgresJobStore[] stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new PostgresJobStore(fresh, Time))));
        try
        {
            await using var connection = new NpgsqlConnection(fresh);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT version) FROM pacer_migrations;", connection);
            await using NpgsqlDataReader reader = await count.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(PostgresMigrations.All.Count, reader.GetInt64(0));
            Assert.Equal(PostgresMigrations.All.Count, reader.GetInt64(1));
        }
        finally
        {
            Array.ForEach(stores, s => s.Dispose());
        }
    }

    [Fact]
    public async Task ADatabaseWrittenByANewerPacer_IsRefused_NamingItsVersion()
    {
        Open().Dispose();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var newer = new NpgsqlCommand("INSERT INTO pacer_migrations (version, name) VALUES (999, '999_future');", connection);
            await newer.ExecuteNonQueryAsync();
        }

        var error = Assert.Throws<InvalidOperationException>(() => new PostgresJobStore(_connectionString, Time));
        Assert.Contains("version 999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsLeasesAndOutcomes_OutliveTheStoreThatWroteThem()
    {
        PostgresJobStore first = Open();
        IReadOnlyList<StoredJob> added = await first.AddAsync([new JobSubmission("""{"url":"https://x"}""", Lane: "openai", Priority: 3, Cost: 1200, BatchId: "b", IdempotencyKey: "k1"), new JobSubmission("two", BatchId: "b")]);
        StoredJob claimed = (await first.ClaimAsync("w1", 1, Lease))[0];
        await first.CompleteAsync(claimed.Id, "w1", StoredJobState.Succeeded, 2, "{\"ok\":true}", null);
        first.Dispose();

        PostgresJobStore second = Open();
        IReadOnlyList<StoredJob> batch = await second.ListBatchAsync("b");
        Assert.Equal([added[0].Id, added[1].Id], batch.Select(j => j.Id));
        Assert.Equal((StoredJobState.Succeeded, 2, "{\"ok\":true}", "openai", 1200L), (batch[0].State, batch[0].Attempts, batch[0].Result, batch[0].Submission.Lane, batch[0].Submission.Cost));
        Assert.Equal(added[0].Id, (await second.AddAsync([new JobSubmission("again", IdempotencyKey: "k1")]))[0].Id);
    }
}
