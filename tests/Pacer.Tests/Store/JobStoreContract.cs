using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Store;

/// <summary>The behaviour every <see cref="IJobStore"/> keeps; each store's test class derives from this.</summary>
public abstract class JobStoreContract
{
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected abstract IJobStore CreateStore();

    [Fact]
    public async Task Claim_TakesHighestPriorityFirst_ThenOrderOfAddition()
    {
        IJobStore store = CreateStore();
        await store.AddAsync([new JobSubmission("a"), new JobSubmission("b", Priority: 5), new JobSubmission("c"), new JobSubmission("d", Priority: 5)]);

        IReadOnlyList<StoredJob> claimed = await store.ClaimAsync("w1", 10, Lease);

        Assert.Equal(["b", "d", "a", "c"], claimed.Select(j => j.Submission.Payload));
        Assert.All(claimed, j => Assert.Equal(StoredJobState.Claimed, j.State));
        Assert.All(claimed, j => Assert.Equal("w1", j.LeaseOwner));
    }

    [Fact]
    public async Task Claim_TakesAtMostMax_AndNeverTheSameJobTwice()
    {
        IJobStore store = CreateStore();
        await store.AddAsync([.. Enumerable.Range(0, 5).Select(i => new JobSubmission($"p{i}"))]);

        IReadOnlyList<StoredJob> first = await store.ClaimAsync("w1", 3, Lease);
        IReadOnlyList<StoredJob> second = await store.ClaimAsync("w2", 3, Lease);

        Assert.Equal(3, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Empty(first.Select(j => j.Id).Intersect(second.Select(j => j.Id)));
    }

    [Fact]
    public async Task Add_WithKnownIdempotencyKey_ReturnsTheStoredJob()
    {
        IJobStore store = CreateStore();
        IReadOnlyList<StoredJob> first = await store.AddAsync([new JobSubmission("a", IdempotencyKey: "k")]);
        IReadOnlyList<StoredJob> again = await store.AddAsync([new JobSubmission("other", IdempotencyKey: "k")]);

        Assert.Equal(first[0].Id, again[0].Id);
        Assert.Equal("a", again[0].Submission.Payload);
        Assert.Single(await store.ClaimAsync("w", 10, Lease));
    }

    [Fact]
    public async Task ExpiredLease_MakesTheJobClaimableByAnotherWorker()
    {
        IJobStore store = CreateStore();
        await store.AddAsync([new JobSubmission("a")]);
        StoredJob claimed = Assert.Single(await store.ClaimAsync("crashed", 1, Lease));

        Time.Advance(Lease - TimeSpan.FromTicks(1));
        Assert.Empty(await store.ClaimAsync("w2", 1, Lease));

        Time.Advance(TimeSpan.FromTicks(1));
        StoredJob again = Assert.Single(await store.ClaimAsync("w2", 1, Lease));
        Assert.Equal(claimed.Id, again.Id);
        Assert.False(await store.CompleteAsync(claimed.Id, "crashed", StoredJobState.Succeeded, 1, "late", null));
        Assert.True(await store.CompleteAsync(claimed.Id, "w2", StoredJobState.Succeeded, 1, "ok", null));
        Assert.Equal("ok", (await store.GetAsync(claimed.Id))!.Result);
    }

    [Fact]
    public async Task CompleteMany_RecordsTheOutcomesOfHeldJobs_AndDropsTheRest()
    {
        IJobStore store = CreateStore();
        IReadOnlyList<StoredJob> added = await store.AddAsync([new JobSubmission("a"), new JobSubmission("b"), new JobSubmission("c"), new JobSubmission("d")]);
        await store.ClaimAsync("w1", 2, Lease);
        await store.ClaimAsync("w2", 1, Lease);

        IReadOnlyList<bool> recorded = await store.CompleteManyAsync(
        [
            new StoredOutcome(added[0].Id, "w1", StoredJobState.Succeeded, 1, "ra", null),
            new StoredOutcome(added[1].Id, "w1", StoredJobState.Failed, 3, "rb", "boom"),
            new StoredOutcome(added[2].Id, "w1", StoredJobState.Succeeded, 1, "not w1's", null),
            new StoredOutcome(added[3].Id, "w1", StoredJobState.Succeeded, 1, "never claimed", null),
            new StoredOutcome(added[0].Id, "w1", StoredJobState.Succeeded, 1, "twice", null),
            new StoredOutcome("no such job", "w1", StoredJobState.Succeeded, 1, null, null),
        ]);

        Assert.Equal([true, true, false, false, false, false], recorded);
        StoredJob a = (await store.GetAsync(added[0].Id))!;
        StoredJob b = (await store.GetAsync(added[1].Id))!;
        Assert.Equal((StoredJobState.Succeeded, 1, "ra", (string?)null), (a.State, a.Attempts, a.Result, a.Error));
        Assert.Equal((StoredJobState.Failed, 3, "rb", "boom"), (b.State, b.Attempts, b.Result, b.Error));
        Assert.Equal((StoredJobState.Claimed, "w2"), ((await store.GetAsync(added[2].Id))!.State, (await store.GetAsync(added[2].Id))!.LeaseOwner));
        Assert.Equal(StoredJobState.Pending, (await store.GetAsync(added[3].Id))!.State);
        Assert.Empty(await store.CompleteManyAsync([]));
    }

    [Fact]
    public async Task Renew_ExtendsTheLease_OnlyForItsHolder()
    {
        IJobStore store = CreateStore();
        await store.AddAsync([new JobSubmission("a")]);
        StoredJob job = Assert.Single(await store.ClaimAsync("w1", 1, Lease));

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.RenewAsync(job.Id, "w1", Lease));
        Assert.False(await store.RenewAsync(job.Id, "w2", Lease));
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Empty(await store.ClaimAsync("w2", 1, Lease));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(10), (await store.GetAsync(job.Id))!.LeaseExpiresAt);
    }

    [Fact]
    public async Task Complete_RecordsTheOutcome_AndTheJobIsNotClaimedAgain()
    {
        IJobStore store = CreateStore();
        await store.AddAsync([new JobSubmission("a")]);
        StoredJob job = Assert.Single(await store.ClaimAsync("w1", 1, Lease));

        Assert.True(await store.CompleteAsync(job.Id, "w1", StoredJobState.Failed, 3, null, "boom"));
        Time.Advance(Lease * 2);

        StoredJob stored = (await store.GetAsync(job.Id))!;
        Assert.Equal(StoredJobState.Failed, stored.State);
        Assert.Equal(3, stored.Attempts);
        Assert.Equal("boom", stored.Error);
        Assert.Equal(Time.GetUtcNow() - (Lease * 2), stored.CompletedAt);
        Assert.Empty(await store.ClaimAsync("w2", 1, Lease));
    }

    [Fact]
    public async Task Release_GivesTheJobBackAtOnce()
    {
        IJobStore store = CreateStore();
        await store.AddAsync([new JobSubmission("a")]);
        StoredJob job = Assert.Single(await store.ClaimAsync("w1", 1, Lease));

        Assert.True(await store.ReleaseAsync(job.Id, "w1"));

        Assert.Equal(job.Id, Assert.Single(await store.ClaimAsync("w2", 1, Lease)).Id);
    }

    [Fact]
    public async Task Cancel_EndsOneJobInAnyStateNotFinal_AndALateOutcomeIsDropped()
    {
        IJobStore store = CreateStore();
        IReadOnlyList<StoredJob> added = await store.AddAsync([new JobSubmission("a"), new JobSubmission("b"), new JobSubmission("c")]);
        StoredJob claimed = Assert.Single(await store.ClaimAsync("w1", 1, Lease));
        Assert.Equal(added[0].Id, claimed.Id);

        // Claimed: cancelled at once, and its worker's outcome comes too late.
        StoredJob? running = await store.CancelAsync(claimed.Id);
        Assert.Equal(StoredJobState.Cancelled, running?.State);
        Assert.Null(running!.LeaseOwner);
        Assert.False(await store.CompleteAsync(claimed.Id, "w1", StoredJobState.Succeeded, 1, "late", null));
        Assert.Equal(StoredJobState.Cancelled, (await store.GetAsync(claimed.Id))?.State);

        // Pending: never claimed.
        Assert.Equal(StoredJobState.Cancelled, (await store.CancelAsync(added[1].Id))?.State);
        Assert.Equal(added[2].Id, Assert.Single(await store.ClaimAsync("w2", 10, Lease)).Id);

        // Final: unchanged. Unknown: null.
        Assert.True(await store.CompleteAsync(added[2].Id, "w2", StoredJobState.Succeeded, 1, "done", null));
        StoredJob? done = await store.CancelAsync(added[2].Id);
        Assert.Equal((StoredJobState.Succeeded, "done"), (done?.State, done?.Result));
        Assert.Null(await store.CancelAsync("no-such-job"));
    }

    [Fact]
    public async Task CancelBatch_CancelsEveryJobNotFinal_AndListKeepsOrder()
    {
        IJobStore store = CreateStore();
        await store.AddAsync([new JobSubmission("a", BatchId: "b1"), new JobSubmission("b", BatchId: "b1"), new JobSubmission("c", BatchId: "b1"), new JobSubmission("x")]);
        IReadOnlyList<StoredJob> claimed = await store.ClaimAsync("w1", 2, Lease);
        await store.CompleteAsync(claimed[0].Id, "w1", StoredJobState.Succeeded, 1, "done", null);

        Assert.Equal(2, await store.CancelBatchAsync("b1"));

        IReadOnlyList<StoredJob> batch = await store.ListBatchAsync("b1");
        Assert.Equal(["a", "b", "c"], batch.Select(j => j.Submission.Payload));
        Assert.Equal([StoredJobState.Succeeded, StoredJobState.Cancelled, StoredJobState.Cancelled], batch.Select(j => j.State));
        Assert.False(await store.CompleteAsync(claimed[1].Id, "w1", StoredJobState.Succeeded, 1, "late", null));
        Assert.Equal("x", Assert.Single(await store.ClaimAsync("w1", 10, Lease)).Submission.Payload);
    }
}
