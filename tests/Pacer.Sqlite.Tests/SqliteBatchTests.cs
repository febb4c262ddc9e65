using Microsoft.Extensions.Time.Testing;

namespace Pacer.Sqlite.Tests;

/// <summary>What pacer serve asks of a batch: pages, counts, one job cancelled, a crashed worker's claims back, and deletion.</summary>
public sealed class SqliteBatchTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pacer-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));
    private readonly SqliteJobStore _store;

    public SqliteBatchTests()
    {
        Directory.CreateDirectory(_dir);
        _store = new SqliteJobStore(Path.Combine(_dir, "pacer.db"), _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Pages_follow_the_order_of_addition_and_stay_in_their_batch()
    {
        IReadOnlyList<StoredJob> a = await AddAsync("a", 5);
        await AddAsync("b", 3);

        IReadOnlyList<StoredJob> first = await _store.PageBatchAsync("a", 0, 2);
        IReadOnlyList<StoredJob> rest = await _store.PageBatchAsync("a", first[^1].Sequence, 10);

        Assert.Equal(a.Select(j => j.Id), first.Concat(rest).Select(j => j.Id));
        Assert.Empty(await _store.PageBatchAsync("a", a[^1].Sequence, 10));
    }

    [Fact]
    public async Task Counts_are_by_lane_and_state()
    {
        await _store.AddAsync([new JobSubmission("1", "x", BatchId: "a"), new JobSubmission("2", "x", BatchId: "a"), new JobSubmission("3", "y", BatchId: "a")]);
        StoredJob claimed = (await _store.ClaimAsync("w", 1, Lease))[0];
        await _store.CompleteAsync(claimed.Id, "w", StoredJobState.Succeeded, 1, "ok", null);

        IReadOnlyList<BatchCount> counts = await _store.CountBatchAsync("a");

        Assert.Equal(
            [new BatchCount("x", StoredJobState.Pending, 1), new BatchCount("x", StoredJobState.Succeeded, 1), new BatchCount("y", StoredJobState.Pending, 1)],
            counts.OrderBy(c => c.Lane, StringComparer.Ordinal).ThenBy(c => c.State));
    }

    [Fact]
    public async Task Cancelling_one_job_ends_it_unless_it_has_ended_and_drops_a_late_outcome()
    {
        IReadOnlyList<StoredJob> jobs = await AddAsync("a", 3);
        StoredJob claimed = (await _store.ClaimAsync("w", 1, Lease))[0];

        StoredJob? pending = await _store.CancelAsync(jobs[2].Id);
        StoredJob? running = await _store.CancelAsync(claimed.Id);

        Assert.Equal(StoredJobState.Cancelled, pending!.State);
        Assert.Equal(StoredJobState.Cancelled, running!.State);
        Assert.False(await _store.CompleteAsync(claimed.Id, "w", StoredJobState.Succeeded, 1, "late", null));
        Assert.Equal(StoredJobState.Cancelled, (await _store.GetAsync(claimed.Id))!.State);
        Assert.Equal(jobs[1].Id, Assert.Single(await _store.ClaimAsync("w", 5, Lease)).Id);
        await _store.CompleteAsync(jobs[1].Id, "w", StoredJobState.Succeeded, 1, "ok", null);
        Assert.Equal(StoredJobState.Succeeded, (await _store.CancelAsync(jobs[1].Id))!.State);
        Assert.Null(await _store.CancelAsync("999"));
        Assert.Null(await _store.CancelAsync("not-an-id"));
    }

    [Fact]
    public async Task A_worker_starting_again_takes_back_its_claims_at_once_and_renews_only_its_own()
    {
        await AddAsync("a", 3);
        await _store.ClaimAsync("w", 2, Lease);
        await _store.ClaimAsync("other", 1, Lease);

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(2, await _store.RenewAllAsync("w", Lease));
        _time.Advance(TimeSpan.FromSeconds(20));

        // The other worker's lease ran out; w's was renewed, and w gives its own back.
        Assert.Equal(2, await _store.ReleaseAllAsync("w"));
        Assert.Equal(3, (await _store.ClaimAsync("w2", 5, Lease)).Count);
    }

    [Fact]
    public async Task Deleting_a_batch_removes_its_jobs_only()
    {
        await AddAsync("a", 2);
        IReadOnlyList<StoredJob> b = await AddAsync("b", 1);

        Assert.Equal(2, await _store.DeleteBatchAsync("a"));

        Assert.Empty(await _store.ListBatchAsync("a"));
        Assert.Equal(b[0].Id, Assert.Single(await _store.ListBatchAsync("b")).Id);
    }

    private ValueTask<IReadOnlyList<StoredJob>> AddAsync(string batch, int count) =>
        _store.AddAsync([.. Enumerable.Range(0, count).Select(i => new JobSubmission(i.ToString(System.Globalization.CultureInfo.InvariantCulture), BatchId: batch))]);
}
