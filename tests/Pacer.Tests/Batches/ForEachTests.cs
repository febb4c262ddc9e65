namespace Pacer.Tests.Batches;

public class ForEachTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    [Fact]
    public async Task ForEachAsync_ReturnsResultsInItemOrder()
    {
        await using var engine = new PacerEngine();
        engine.AddLane("a", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 4 });

        int[] results = await engine.ForEachAsync(
            Enumerable.Range(0, 1000),
            async (i, ct) =>
            {
                await Task.Yield();
                return i * 2;
            },
            new BatchOptions { JobOptions = new JobOptions { Lane = "a" } }).DefaultTimeout();

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * 2), results);
    }

    [Fact]
    public async Task ForEachAsync_WithinTheLanesRate()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        var log = new StartLog(_time);

        Task<int[]> all = engine.ForEachAsync(
            Enumerable.Range(0, 20),
            (i, _) =>
            {
                log.Record("");
                return ValueTask.FromResult(i);
            },
            new BatchOptions { JobOptions = new JobOptions { Lane = "r" } });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));

        Assert.Equal(Enumerable.Range(0, 20), await all.DefaultTimeout());
        Assert.Equal(Enumerable.Range(0, 20).Select(k => Ms.Of(k * 100)), log.Times);
    }

    [Fact]
    public async Task ForEachAsync_SomeItemsFail_ThrowsListingEachIndexAndError()
    {
        await using PacerEngine engine = CreateEngine();
        var errors = new Dictionary<int, Exception> { [1] = new PermanentException("one"), [3] = new FormatException("three") };

        var thrown = await Assert.ThrowsAsync<BatchFailedException>(() => engine.ForEachAsync(
            Enumerable.Range(0, 5),
            (i, _) => errors.TryGetValue(i, out Exception? e) ? ValueTask.FromException<int>(e) : ValueTask.FromResult(i)).DefaultTimeout());

        Assert.Equal([1, 3], thrown.Indexes);
        Assert.Equal([errors[1], errors[3]], thrown.InnerExceptions);
        Assert.StartsWith("2 of 5 jobs did not succeed (2 failed, 0 cancelled); first, item 1: one", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForEachAsync_FailFast_ListsTheFailureAndTheCancelledItems()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });

        var thrown = await Assert.ThrowsAsync<BatchFailedException>(() => engine.ForEachAsync(
            Enumerable.Range(0, 4),
            (i, _) => i == 1 ? ValueTask.FromException<int>(new PermanentException("stop")) : ValueTask.FromResult(i),
            new BatchOptions { FailFast = true, JobOptions = new JobOptions { Lane = "c" } }).DefaultTimeout());

        Assert.Equal([1, 2, 3], thrown.Indexes);
        Assert.IsType<PermanentException>(thrown.InnerExceptions[0]);
        Assert.All(thrown.InnerExceptions.Skip(1), e => Assert.IsAssignableFrom<OperationCanceledException>(e));
        Assert.StartsWith("3 of 4 jobs did not succeed (1 failed, 2 cancelled); first, item 1: stop", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForEachAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using PacerEngine engine = CreateEngine();
        using var cts = new CancellationTokenSource();
        var bodyTokens = new List<CancellationToken>();

        Task<int[]> all = engine.ForEachAsync(
            Enumerable.Range(0, 3),
            (i, ct) =>
            {
                bodyTokens.Add(ct);
                return new ValueTask<int>(new TaskCompletionSource<int>().Task);
            },
            cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => all.DefaultTimeout());
        Assert.All(bodyTokens, t => Assert.True(t.IsCancellationRequested));
    }

    [Fact]
    public async Task RunBatchAsync_HandsEachItemToTheBody_AndReturnsResultsInOrder()
    {
        await using PacerEngine engine = CreateEngine();
        string[] items = ["a", "b", "c"];

        BatchResult<string> result = await engine.RunBatchAsync(
            items,
            (item, context) => ValueTask.FromResult($"{context.Index}{item}")).DefaultTimeout();

        Assert.Equal(["0a", "1b", "2c"], result.GetValuesOrThrow());
    }

    [Fact]
    public async Task RunBatchAsync_ReturnsPartialResultsInsteadOfThrowing()
    {
        await using PacerEngine engine = CreateEngine();

        BatchResult<int> result = await engine.RunBatchAsync(
            Enumerable.Range(0, 3),
            (item, _) => item == 1 ? ValueTask.FromException<int>(new PermanentException("no")) : ValueTask.FromResult(item)).DefaultTimeout();

        Assert.Equal((2, 1), (result.Succeeded, result.Failed));
        Assert.Equal(1, Assert.Single(result.Errors).Index);
    }
}
