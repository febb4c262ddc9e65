using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Store;

public sealed class StoreWorkerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Worker_RunsEveryStoredJobThroughItsLane_AndRecordsOutcomes()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("api", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        var store = new InMemoryJobStore(_time);
        await store.AddAsync([.. Enumerable.Range(0, 10).Select(i => new JobSubmission($"{i}", "api", BatchId: "b"))]);
        var worker = new StoreWorker(engine, store, (job, _) => ValueTask.FromResult<string?>($"done {job.Submission.Payload}"),
            new StoreWorkerOptions { WorkerId = "w1" });
        using var stop = new CancellationTokenSource();

        Task run = worker.RunAsync(stop.Token);
        await WaitUntilAsync(async () => (await store.ListBatchAsync("b")).All(j => j.IsFinal));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        IReadOnlyList<StoredJob> jobs = await store.ListBatchAsync("b");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"done {i}"), jobs.Select(j => j.Result));
        Assert.All(jobs, j => Assert.Equal(1, j.Attempts));
    }

    [Fact]
    public async Task JobsOfACrashedWorker_AreRunByAnotherWhenTheLeaseRunsOut()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        var store = new InMemoryJobStore(_time);
        await store.AddAsync([new JobSubmission("a", BatchId: "b"), new JobSubmission("b", BatchId: "b")]);
        await store.ClaimAsync("crashed", 10, TimeSpan.FromSeconds(30));
        var worker = new StoreWorker(engine, store, (job, _) => ValueTask.FromResult<string?>(job.Submission.Payload),
            new StoreWorkerOptions { WorkerId = "w2", Lease = TimeSpan.FromSeconds(30) });
        using var stop = new CancellationTokenSource();

        Task run = worker.RunAsync(stop.Token);
        Assert.Equal(0, worker.InFlight);
        await WaitUntilAsync(async () =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return (await store.ListBatchAsync("b")).All(j => j.IsFinal);
        });
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        IReadOnlyList<StoredJob> jobs = await store.ListBatchAsync("b");
        Assert.All(jobs, j => Assert.Equal(StoredJobState.Succeeded, j.State));
        Assert.True(_time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 0, 30, TimeSpan.Zero));
    }

    [Fact]
    public async Task StoppingTheWorker_GivesHeldJobsBack()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        var store = new InMemoryJobStore(_time);
        await store.AddAsync([new JobSubmission("a", BatchId: "b")]);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new StoreWorker(engine, store, async (job, context) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, context.CancellationToken);
            return null;
        }, new StoreWorkerOptions { WorkerId = "w1" });
        using var stop = new CancellationTokenSource();

        Task run = worker.RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        StoredJob job = Assert.Single(await store.ListBatchAsync("b"));
        Assert.Equal(StoredJobState.Pending, job.State);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 seconds.");
            await Task.Yield();
        }
    }
}
