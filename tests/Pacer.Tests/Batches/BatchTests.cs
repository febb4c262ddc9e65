namespace Pacer.Tests.Batches;

public partial class BatchTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static ManualWork<int>[] AddManual(Batch<int> batch, int count, JobOptions? options = null)
    {
        ManualWork<int>[] works = [.. Enumerable.Range(0, count).Select(_ => new ManualWork<int>(honourToken: true))];
        foreach (ManualWork<int> work in works)
        {
            batch.Add(work.Work, options);
        }

        return works;
    }

    [Fact]
    public async Task WhenAllAsync_ReturnsResultsInSubmissionOrder_WhateverOrderTheyFinishIn()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        ManualWork<int>[] works = AddManual(batch, 3);

        Task<BatchResult<int>> all = batch.WhenAllAsync();
        works[2].Complete(20);
        works[0].Complete(0);
        Assert.False(all.IsCompleted);
        works[1].Complete(10);

        BatchResult<int> result = await all.DefaultTimeout();
        Assert.True(result.AllSucceeded);
        Assert.Equal([0, 10, 20], result.Items.Select(i => i.Value));
        Assert.Equal([0, 1, 2], result.Items.Select(i => i.Index));
        Assert.Equal([0, 10, 20], result.GetValuesOrThrow());
    }

    [Fact]
    public async Task ReadAllAsync_YieldsEachResultAsItCompletes()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        ManualWork<int>[] works = AddManual(batch, 3);
        batch.CompleteAdding();
        await using IAsyncEnumerator<JobResult<int>> reader = batch.ReadAllAsync().GetAsyncEnumerator();

        var order = new List<int>();
        foreach (int next in new[] { 2, 0, 1 })
        {
            ValueTask<bool> moved = reader.MoveNextAsync();
            Assert.False(moved.IsCompleted);
            works[next].Complete(next * 10);
            Assert.True(await moved.DefaultTimeout());
            order.Add(reader.Current.Index);
            Assert.Equal(next * 10, reader.Current.Value);
        }

        Assert.False(await reader.MoveNextAsync().DefaultTimeout());
        Assert.Equal([2, 0, 1], order);
    }

    [Fact]
    public async Task ReadAllAsync_JobsAlreadyFinal_ComeFirstInSubmissionOrder()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        ManualWork<int> pending = AddManual(batch, 1)[0];
        batch.Add(_ => ValueTask.FromResult(1));
        batch.Add(_ => ValueTask.FromResult(2));
        batch.CompleteAdding();

        var indexes = new List<int>();
        Task reading = Task.Run(async () =>
        {
            await foreach (JobResult<int> result in batch.ReadAllAsync())
            {
                lock (indexes)
                {
                    indexes.Add(result.Index);
                }
            }
        });
        await Eventually.HoldsAsync(() => { lock (indexes) { return indexes.Count == 2; } }, "the final jobs to be read");
        pending.Complete(0);

        await reading.DefaultTimeout();
        Assert.Equal([1, 2, 0], indexes);
    }

    [Fact]
    public async Task ReadAllAsync_StartedWhileTheBatchIsBeingCancelled_YieldsEachJobOnce()
    {
        // The reader starts from a cancellation callback: the jobs are already final, but their
        // batch has not heard of it yet.
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        ManualWork<int>[] works = AddManual(batch, 2);
        batch.CompleteAdding();
        IAsyncEnumerable<JobResult<int>>? results = null;
        Task<List<int>>? reading = null;
        works[0].Token.Register(() =>
        {
            results = batch.ReadAllAsync();
            reading = ReadIndexesAsync(results);
        });

        batch.Cancel();

        Assert.NotNull(reading);
        Assert.Equal([0, 1], (await reading.DefaultTimeout()).Order());
    }

    private static async Task<List<int>> ReadIndexesAsync(IAsyncEnumerable<JobResult<int>> results)
    {
        var indexes = new List<int>();
        await foreach (JobResult<int> result in results)
        {
            indexes.Add(result.Index);
        }

        return indexes;
    }

    [Fact]
    public async Task ReadAllAsync_SecondReader_Throws()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        ManualWork<int> work = AddManual(batch, 1)[0];
        batch.CompleteAdding();
        IAsyncEnumerator<JobResult<int>> first = batch.ReadAllAsync().GetAsyncEnumerator();
        Task<bool> moved = first.MoveNextAsync().AsTask();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (JobResult<int> _ in batch.ReadAllAsync())
            {
            }
        });

        Assert.Equal("ReadAllAsync was already called on this batch; it has one reader.", error.Message);
        work.Complete(0);
        Assert.True(await moved.DefaultTimeout());
        await first.DisposeAsync();
    }

    [Fact]
    public async Task FailFast_FirstPermanentFailure_CancelsEveryOtherJob()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 2 });
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { FailFast = true, JobOptions = new JobOptions { Lane = "c" } });
        ManualWork<int>[] running = AddManual(batch, 2);
        var queued = new ManualWork<int>();
        batch.Add(queued.Work);
        batch.Add(queued.Work);
        var boom = new PermanentException("bad request");

        running[1].Fail(boom);

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();
        Assert.Equal((0, 1, 3), (result.Succeeded, result.Failed, result.Cancelled));
        Assert.Equal(
            [(0, JobState.Cancelled), (1, JobState.Failed), (2, JobState.Cancelled), (3, JobState.Cancelled)],
            result.Items.Select(i => (i.Index, i.State)));
        Assert.Same(boom, result.Items[1].Error);
        Assert.True(running[0].Token.IsCancellationRequested);
        Assert.Equal(0, queued.Starts);
    }

    [Fact]
    public async Task FailFast_RetryableFailure_WaitsUntilTheJobFailsForGood()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { FailFast = true, JobOptions = new JobOptions { Retry = policy } });
        ManualWork<int> other = AddManual(batch, 1)[0];
        var flaky = new ManualWork<int>();
        batch.Add(flaky.Work);

        flaky.Fail(new TimeoutException());
        Assert.False(other.Token.IsCancellationRequested);
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));
        flaky.Fail(new TimeoutException());

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();
        Assert.Equal([JobState.Cancelled, JobState.Failed], result.Items.Select(i => i.State));
        Assert.Equal(2, result.Items[1].Attempts);
    }

    [Fact]
    public async Task WithoutFailFast_ReturnsPartialResults_AndListsEveryErrorWithItsIndex()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        var errors = new Dictionary<int, Exception> { [1] = new PermanentException("one"), [3] = new FormatException("three") };
        for (int i = 0; i < 5; i++)
        {
            batch.Add(context => errors.TryGetValue(context.Index, out Exception? e) ? ValueTask.FromException<int>(e) : ValueTask.FromResult(context.Index * 2));
        }

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();

        Assert.Equal((3, 2, 0), (result.Succeeded, result.Failed, result.Cancelled));
        Assert.Equal([0, 2, 4], result.Items.Where(i => i.Succeeded).Select(i => i.Index));
        Assert.Equal([0, 4, 8], result.Items.Where(i => i.Succeeded).Select(i => i.Value));
        Assert.Equal([1, 3], result.Errors.Select(e => e.Index));
        Assert.Equal([errors[1], errors[3]], result.Errors.Select(e => e.Error));
        var thrown = Assert.Throws<BatchFailedException>(result.GetValuesOrThrow);
        Assert.Equal([1, 3], thrown.Indexes);
        Assert.Equal([errors[1], errors[3]], thrown.InnerExceptions);
    }

    [Fact]
    public async Task Cancel_EndsEveryJobNotYetFinal_AndJobsAddedLaterStartCancelled()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { JobOptions = new JobOptions { Lane = "c" } });
        batch.Add(Jobs.Instant);
        ManualWork<int>[] works = AddManual(batch, 2);

        batch.Cancel();
        var late = new ManualWork<int>();
        batch.Add(late.Work);

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();
        Assert.Equal([JobState.Succeeded, JobState.Cancelled, JobState.Cancelled, JobState.Cancelled], result.Items.Select(i => i.State));
        Assert.True(works[0].Token.IsCancellationRequested);
        Assert.Equal((0, 0), (works[1].Starts, late.Starts));
    }

    [Fact]
    public async Task Cancel_WorkIgnoringItsToken_TheBatchStillCompletesAtOnce()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        var stubborn = new ManualWork<int>();
        batch.Add(stubborn.Work);
        batch.Add(stubborn.Work);
        Task<BatchResult<int>> all = batch.WhenAllAsync();

        batch.Cancel();

        Assert.Equal(2, (await all.DefaultTimeout()).Cancelled);
        Assert.True(stubborn.IsRunning);
    }

    [Fact]
    public async Task CancellingTheBatchToken_CancelsTheBatch()
    {
        await using PacerEngine engine = CreateEngine();
        using var cts = new CancellationTokenSource();
        Batch<int> batch = engine.CreateBatch<int>(cancellationToken: cts.Token);
        AddManual(batch, 3);

        await cts.CancelAsync();

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();
        Assert.Equal(3, result.Cancelled);
    }

    [Fact]
    public async Task WhenAllAsync_CancellingTheWait_LeavesTheJobsRunning()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        ManualWork<int> work = AddManual(batch, 1)[0];
        using var cts = new CancellationTokenSource();

        Task<BatchResult<int>> waiting = batch.WhenAllAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.DefaultTimeout());
        work.Complete(1);
        Assert.True((await batch.Completion.DefaultTimeout()).AllSucceeded);
    }

    [Fact]
    public async Task Add_AfterAddingWasCompleted_Throws()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        batch.CompleteAdding();

        var error = Assert.Throws<InvalidOperationException>(() => batch.Add(Jobs.Instant));

        Assert.Equal("Adding to this batch was completed.", error.Message);
    }

    [Fact]
    public async Task Add_WhileTheEngineDrains_ThrowsAndTheBatchStillCompletes()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        ManualWork<int> work = AddManual(batch, 1)[0];
        _ = engine.DrainAsync();

        Assert.Throws<InvalidOperationException>(() => batch.Add(Jobs.Instant));
        Task<BatchResult<int>> all = batch.WhenAllAsync();
        work.Complete(5);

        BatchResult<int> result = await all.DefaultTimeout();
        Assert.Equal([5], result.GetValuesOrThrow());
        Assert.Equal(1, batch.Count);
    }

    [Fact]
    public async Task EmptyBatch_CompletesAtOnce()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();

        Assert.Empty(result.Items);
        Assert.True(result.AllSucceeded);
        Assert.True(batch.GetSnapshot().IsComplete);
    }

    [Fact]
    public async Task Completion_WaitsForCompleteAdding()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<int> batch = engine.CreateBatch<int>();
        batch.Add(Jobs.Instant);

        Assert.False(batch.Completion.IsCompleted);
        batch.CompleteAdding();

        Assert.Single((await batch.Completion.DefaultTimeout()).Items);
    }

    [Fact]
    public async Task Add_WithState_HandsItToTheWorkWithTheIndex()
    {
        await using PacerEngine engine = CreateEngine();
        Batch<string> batch = engine.CreateBatch<string>();
        Func<JobContext, ValueTask<string>> work = context => ValueTask.FromResult($"{context.Index}:{context.State}");

        batch.Add(work, "a");
        batch.Add(work, "b");

        Assert.Equal(["0:a", "1:b"], (await batch.WhenAllAsync().DefaultTimeout()).GetValuesOrThrow());
    }

    [Fact]
    public async Task Add_WithItsOwnOptions_OverridesTheBatchDefaults()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("b", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        Batch<string> batch = engine.CreateBatch<string>(new BatchOptions { JobOptions = new JobOptions { Lane = "a" } });
        Func<JobContext, ValueTask<string>> work = context => ValueTask.FromResult(context.Lane);

        batch.Add(work);
        batch.Add(work, new JobOptions { Lane = "b" });

        BatchResult<string> result = await batch.WhenAllAsync().DefaultTimeout();
        Assert.Equal(["a", "b"], result.GetValuesOrThrow());
        Assert.Equal(["a", "b"], result.Items.Select(i => i.Lane));
    }

    [Fact]
    public async Task JobResult_CarriesIdAttemptsLaneAndDuration()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { JobOptions = new JobOptions { Retry = policy } });
        batch.Add(context => context.Attempt == 1 ? ValueTask.FromException<int>(new TimeoutException()) : ValueTask.FromResult(context.JobId > 0 ? 1 : 0));

        Task<BatchResult<int>> all = batch.WhenAllAsync();
        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));

        JobResult<int> item = Assert.Single((await all.DefaultTimeout()).Items);
        Assert.Equal((1, 2, "default", TimeSpan.FromSeconds(1)), (item.Value, item.Attempts, item.Lane, item.Duration));
        Assert.True(item.JobId > 0);
    }
}
