using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pacer.Server.Events;
using Pacer.Server.Runs;
using Pacer.Sqlite;

namespace Pacer.Server.Tests;

/// <summary>With a retention set, a finished run is deleted with its results once it has been finished that long; on fake time.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task AFinishedRun_IsDeletedWithItsJobs_OnceItHasBeenFinishedForTheRetention_AndARunningOneIsKept()
    {
        string path = Path.Combine(_folder.Path, "pacer.db");
        using var store = new SqliteJobStore(path, _time);
        var catalog = new SqliteRunCatalog(path);
        var options = new ServerOptions { Database = path, Retention = TimeSpan.FromHours(1) };
        var tracker = new RunTracker(catalog, store, new EventFeed(), options, _time);
        var sweeper = new RetentionSweeper(options, catalog, store, tracker, _time, NullLogger<RetentionSweeper>.Instance);
        string finished = await AddRunAsync(store, catalog, "r-finished");
        string running = await AddRunAsync(store, catalog, "r-running");
        catalog.MarkFinished(finished, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));

        Assert.Null(catalog.Get(finished));
        Assert.Empty(await store.ListBatchAsync(finished));
        Assert.NotNull(catalog.Get(running));
        Assert.Equal(2, (await store.ListBatchAsync(running)).Count);
    }

    [Fact]
    public async Task WithoutARetention_NothingIsDeleted()
    {
        string path = Path.Combine(_folder.Path, "pacer.db");
        using var store = new SqliteJobStore(path, _time);
        var catalog = new SqliteRunCatalog(path);
        var options = new ServerOptions { Database = path };
        var tracker = new RunTracker(catalog, store, new EventFeed(), options, _time);
        var sweeper = new RetentionSweeper(options, catalog, store, tracker, _time, NullLogger<RetentionSweeper>.Instance);
        string finished = await AddRunAsync(store, catalog, "r-old");
        catalog.MarkFinished(finished, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromDays(3650));

        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        Assert.NotNull(catalog.Get(finished));
    }

    private async Task<string> AddRunAsync(SqliteJobStore store, SqliteRunCatalog catalog, string id)
    {
        catalog.Add(new RunRecord { Id = id, Jobs = 2, FirstSequence = IRunCatalog.Registering, CreatedAt = _time.GetUtcNow() }, null);
        IReadOnlyList<StoredJob> jobs = await store.AddAsync([new JobSubmission("a", "svc", BatchId: id), new JobSubmission("b", "svc", BatchId: id)]);
        catalog.Registered(id, jobs[0].Sequence, jobs.Count);
        return id;
    }
}
