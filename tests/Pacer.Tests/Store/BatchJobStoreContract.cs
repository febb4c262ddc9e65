using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Store;

/// <summary>
/// What pacer serve asks of a batch, kept by every <see cref="IBatchJobStore"/> (SQLite, and a real
/// PostgreSQL): pages, counts, one job cancelled, a crashed worker's claims back, deletion, and a
/// batch's jobs numbered one after another even while other batches are added at once.
/// </summary>
public abstract class BatchJobStoreContract
{
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The store the tests use.</summary>
    protected IBatchJobStore Store => _store ??= CreateStore();

    private IBatchJobStore? _store;

    /// <summary>A new store on the test's own database; called again, another store (another process's) on the same one.</summary>
    protected abstract IBatchJobStore CreateStore();

    [Fact]
    public async Task A_batchs_jobs_are_numbered_one_after_another_while_others_are_added_at_once()
    {
        IBatchJobStore[] stores = [Store, CreateStore(), CreateStore()];
        foreach (IBatchJobStore store in stores)
        {
            await store.AddAsync([new JobSubmission("warm")]); // Each has its connection open before the race.
        }

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<IReadOnlyList<StoredJob>>[] adding = [.. stores.Select((s, b) => Task.Run(async () =>
        {
            await go.Task;
            return await s.AddAsync([.. Enumerable.Range(0, 1000).Select(i => new JobSubmission(i.ToString(System.Globalization.CultureInfo.InvariantCulture), BatchId: $"b{b}"))]);
        }))];
        go.SetResult();
        IReadOnlyList<StoredJob>[] batches = await Task.WhenAll(adding);

        foreach (IReadOnlyList<StoredJob> batch in batches)
        {
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => batch[0].Sequence + i), batch.Select(j => j.Sequence));
        }
    }

    [Fact]
    public async Task Pages_follow_the_order_of_addition_and_stay_in_their_batch()
    {
        IReadOnlyList<StoredJob> a = await AddAsync("a", 5);
        await AddAsync("b", 3);

        IReadOnlyList<StoredJob> first = await Store.PageBatchAsync("a", 0, 2);
        IReadOnlyList<StoredJob> rest = await Store.PageBatchAsync("a", first[^1].Sequence, 10);

        Assert.Equal(a.Select(j => j.Id), first.Concat(rest).Select(j => j.Id));
        Assert.Empty(await Store.PageBatchAsync("a", a[^1].Sequence, 10));
    }

    [Fact]
    public async Task Counts_are_by_lane_and_state()
    {
        await Store.AddAsync([new JobSubmission("1", "x", BatchId: "a"), new JobSubmission("2", "x", BatchId: "a"), new JobSubmission("3", "y", BatchId: "a")]);
        StoredJob claimed = (await Store.ClaimAsync("w", 1, Lease))[0];
        await Store.CompleteAsync(claimed.Id, "w", StoredJobState.Succeeded, 1, "ok", null);

        IReadOnlyList<BatchCount> counts = await Store.CountBatchAsync("a");

        Assert.Equal(
            [new BatchCount("x", StoredJobState.Pending, 1), new BatchCount("x", StoredJobState.Succeeded, 1), new BatchCount("y", StoredJobState.Pending, 1)],
            counts.OrderBy(c => c.Lane, StringComparer.Ordinal).ThenBy(c => c.State));
    }

    [Fact]
    public async Task Cancelling_one_job_ends_it_unless_it_has_ended_and_drops_a_late_outcome()
    {
        IReadOnlyList<StoredJob> jobs = await AddAsync("a", 3);
        StoredJob claimed = (await Store.ClaimAsync("w", 1, Lease))[0];

        StoredJob? pending = await Store.CancelAsync(jobs[2].Id);
        StoredJob? running = await Store.CancelAsync(claimed.Id);

        Assert.Equal(StoredJobState.Cancelled, pending!.State);
        Assert.Equal(StoredJobState.Cancelled, running!.State);
        Assert.False(await Store.CompleteAsync(claimed.Id, "w", StoredJobState.Succeeded, 1, "late", null));
        Assert.Equal(StoredJobState.Cancelled, (await Store.GetAsync(claimed.Id))!.State);
        Assert.Equal(jobs[1].Id, Assert.Single(await Store.ClaimAsync("w", 5, Lease)).Id);
        await Store.CompleteAsync(jobs[1].Id, "w", StoredJobState.Succeeded, 1, "ok", null);
        Assert.Equal(StoredJobState.Succeeded, (await Store.CancelAsync(jobs[1].Id))!.State);
        Assert.Null(await Store.CancelAsync("999"));
        Assert.Null(await Store.CancelAsync("not-an-id"));
    }

    [Fact]
    public async Task A_worker_starting_again_takes_back_its_claims_at_once_and_renews_only_its_own()
    {
        await AddAsync("a", 3);
        await Store.ClaimAsync("w", 2, Lease);
        await Store.ClaimAsync("other", 1, Lease);

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(2, await Store.RenewAllAsync("w", Lease));
        Time.Advance(TimeSpan.FromSeconds(20));

        // The other worker's lease ran out; w's was renewed, and w gives its own back.
        Assert.Equal(2, await Store.ReleaseAllAsync("w"));
        Assert.Equal(3, (await Store.ClaimAsync("w2", 5, Lease)).Count);
    }

    [Fact]
    public async Task Deleting_a_batch_removes_its_jobs_only()
    {
        await AddAsync("a", 2);
        IReadOnlyList<StoredJob> b = await AddAsync("b", 1);

        Assert.Equal(2, await Store.DeleteBatchAsync("a"));

        Assert.Empty(await Store.ListBatchAsync("a"));
        Assert.Equal(b[0].Id, Assert.Single(await Store.ListBatchAsync("b")).Id);
    }

    private ValueTask<IReadOnlyList<StoredJob>> AddAsync(string batch, int count) =>
        Store.AddAsync([.. Enumerable.Range(0, count).Select(i => new JobSubmission(i.ToString(System.Globalization.CultureInfo.InvariantCulture), BatchId: batch))]);
}
