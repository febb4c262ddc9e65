namespace Pacer.Tests.Scheduling;

public class IdempotencyTests
{
    private static PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = new SteppedTimeProvider() });
    }

    [Fact]
    public async Task SameKeyWhileTheFirstRuns_ReturnsTheSameJob()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        var options = new JobOptions { IdempotencyKey = "order-17" };

        JobHandle<int> first = engine.Submit(work.Work, options);
        JobHandle<int> second = engine.Submit(work.Work, options);

        Assert.Equal(first, second);
        Assert.Equal(first.Id, second.Id);
        Assert.Same(first.Task, second.Task);
        Assert.Equal(1, work.Starts);
        work.Complete(5);
        Assert.Equal(5, await second.Task.DefaultTimeout());
    }

    [Fact]
    public async Task SameKeyWhileTheFirstIsQueued_ReturnsTheSameJob()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "c" });
        var options = new JobOptions { Lane = "c", IdempotencyKey = "k" };

        JobHandle<int> first = engine.Submit(Jobs.Instant, options);
        JobHandle<int> second = engine.Submit(Jobs.Instant, options);

        Assert.Equal(first, second);
        Assert.Equal(1, engine.GetLaneSnapshot("c").Queued);
    }

    [Fact]
    public async Task SameKeyAfterTheFirstFinished_RunsANewJob()
    {
        await using PacerEngine engine = CreateEngine();
        var options = new JobOptions { IdempotencyKey = "k" };
        JobHandle<int> first = engine.Submit(Jobs.Instant, options);
        await first.Task.DefaultTimeout();

        JobHandle<int> second = engine.Submit(Jobs.Instant, options);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task DifferentKeys_RunSeparateJobs()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();

        JobHandle<int> first = engine.Submit(work.Work, new JobOptions { IdempotencyKey = "a" });
        JobHandle<int> second = engine.Submit(work.Work, new JobOptions { IdempotencyKey = "b" });

        Assert.NotEqual(first, second);
        Assert.Equal(2, work.Starts);
    }

    [Fact]
    public async Task SameKeyWithAnotherResultType_Throws()
    {
        await using PacerEngine engine = CreateEngine();
        engine.Submit(new ManualWork<int>().Work, new JobOptions { IdempotencyKey = "k" });

        var error = Assert.Throws<InvalidOperationException>(
            () => engine.Submit(_ => ValueTask.FromResult("text"), new JobOptions { IdempotencyKey = "k" }));

        Assert.Equal("Idempotency key 'k' belongs to a running job of another result type or in a batch.", error.Message);
    }

    [Fact]
    public async Task SameKeyAfterTheFirstWasCancelled_RunsANewJob()
    {
        await using PacerEngine engine = CreateEngine();
        var options = new JobOptions { IdempotencyKey = "k" };
        JobHandle<int> first = engine.Submit(new ManualWork<int>().Work, options);
        first.Cancel();

        JobHandle<int> second = engine.Submit(Jobs.Instant, options);

        Assert.NotEqual(first, second);
        Assert.Equal(JobState.Succeeded, second.State);
    }

    [Fact]
    public async Task SameKeyAfterASubmitTheDrainingEngineRefused_StillRefuses()
    {
        await using PacerEngine engine = CreateEngine();
        engine.Submit(new ManualWork<int>().Work);
        _ = engine.DrainAsync();
        var options = new JobOptions { IdempotencyKey = "k" };
        Assert.Throws<InvalidOperationException>(() => engine.Submit(Jobs.Instant, options));

        var error = Assert.Throws<InvalidOperationException>(() => engine.Submit(Jobs.Instant, options));

        Assert.Equal("The engine is draining and takes no new jobs.", error.Message);
    }
}
