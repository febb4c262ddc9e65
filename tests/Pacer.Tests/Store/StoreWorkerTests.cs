using System.Collections.Concurrent;
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

    [Fact]
    public async Task AWorkerWhoseRunPacesItself_RecordsEveryOutcome_ThroughBatchedCompletions()
    {
        InlineContinuations.Enable();
        var store = new ObservedJobStore(new InMemoryJobStore(_time));
        await store.AddAsync([.. Enumerable.Range(0, 30).Select(i => new JobSubmission($"{i}", "api", BatchId: "b"))]);
        var worker = new StoreWorker(store, (job, _) => ValueTask.FromResult(
            int.Parse(job.Submission.Payload, System.Globalization.CultureInfo.InvariantCulture) % 3 == 0
                ? new JobRunOutcome(StoredJobState.Failed, 2, "{\"line\":" + job.Submission.Payload + "}", "HTTP 500")
                : new JobRunOutcome(StoredJobState.Succeeded, 1, "{\"line\":" + job.Submission.Payload + "}", null)),
            new StoreWorkerOptions { WorkerId = "w1", MaxInFlight = 8, TimeProvider = _time });
        using var stop = new CancellationTokenSource();

        Task run = worker.RunAsync(stop.Token);
        await WaitUntilAsync(async () => (await store.ListBatchAsync("b")).All(j => j.IsFinal));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        IReadOnlyList<StoredJob> jobs = await store.ListBatchAsync("b");
        Assert.All(jobs, j => Assert.Equal(
            int.Parse(j.Submission.Payload, System.Globalization.CultureInfo.InvariantCulture) % 3 == 0 ? (StoredJobState.Failed, 2, "HTTP 500") : (StoredJobState.Succeeded, 1, (string?)null),
            (j.State, j.Attempts, j.Error)));
        Assert.All(jobs, j => Assert.Equal("{\"line\":" + j.Submission.Payload + "}", j.Result));
        Assert.Equal(0, store.SingleCompletions);
        Assert.Equal(30, store.Outcomes.Count);
        Assert.Equal(0, worker.InFlight);
    }

    [Fact]
    public async Task AJobClaimedAgainWhileItsEarlierClaimStillRuns_KeepsOnlyTheNewestClaimsOutcome()
    {
        InlineContinuations.Enable();
        // The store says yes to renewals without renewing: the lease runs out under the worker, which claims the job again.
        var store = new ObservedJobStore(new InMemoryJobStore(_time)) { RenewWithoutRenewing = true };
        await store.AddAsync([new JobSubmission("a", BatchId: "b")]);
        var firstReplaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstReturned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondMayEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int runs = 0;
        var worker = new StoreWorker(store, async (job, cancellationToken) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                // A run that finishes although it was told to stop.
                using (cancellationToken.Register(() => firstReplaced.TrySetResult()))
                {
                    await firstReplaced.Task.ConfigureAwait(false);
                }

                firstReturned.TrySetResult();
                return new JobRunOutcome(StoredJobState.Succeeded, 1, "first", null);
            }

            await secondMayEnd.Task.ConfigureAwait(false);
            return new JobRunOutcome(StoredJobState.Succeeded, 1, "second", null);
        }, new StoreWorkerOptions { WorkerId = "w1", Lease = TimeSpan.FromSeconds(3), IdleDelay = TimeSpan.FromMilliseconds(100), TimeProvider = _time });
        using var stop = new CancellationTokenSource();

        Task run = worker.RunAsync(stop.Token);
        await WaitUntilAsync(() =>
        {
            if (Volatile.Read(ref runs) < 2)
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
            }

            return Task.FromResult(Volatile.Read(ref runs) >= 2);
        });
        await firstReturned.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => Task.FromResult(worker.InFlight == 1));
        secondMayEnd.SetResult();
        await WaitUntilAsync(async () => (await store.ListBatchAsync("b")).All(j => j.IsFinal));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("second", Assert.Single(await store.ListBatchAsync("b")).Result);
        Assert.DoesNotContain(store.Outcomes, o => o.Result == "first");
    }

    [Fact]
    public async Task AStoreThatFails_IsReported_AndTheWorkerGoesOnWhenItAnswers()
    {
        InlineContinuations.Enable();
        var store = new ObservedJobStore(new InMemoryJobStore(_time)) { ClaimFailuresLeft = 3 };
        await store.AddAsync([.. Enumerable.Range(0, 5).Select(i => new JobSubmission($"{i}", BatchId: "b"))]);
        var errors = new ConcurrentQueue<Exception>();
        var worker = new StoreWorker(store, (job, _) => ValueTask.FromResult(new JobRunOutcome(StoredJobState.Succeeded, 1, job.Submission.Payload, null)),
            new StoreWorkerOptions { WorkerId = "w1", TimeProvider = _time, OnStoreError = errors.Enqueue });
        using var stop = new CancellationTokenSource();

        Task run = worker.RunAsync(stop.Token);
        await WaitUntilAsync(async () =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            return (await store.ListBatchAsync("b")).All(j => j.IsFinal);
        });
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Equal("the store is down", e.Message));
        Assert.All(await store.ListBatchAsync("b"), j => Assert.Equal(StoredJobState.Succeeded, j.State));
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
