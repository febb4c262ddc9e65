namespace Pacer.Tests.Scheduling;

public class JobTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine(PacerOptions? options = null)
    {
        InlineContinuations.Enable();
        options ??= new PacerOptions();
        options.TimeProvider = _time;
        return new PacerEngine(options);
    }

    [Fact]
    public async Task RunAsync_ReturnsTheWorksResult()
    {
        await using PacerEngine engine = CreateEngine();

        string result = await engine.RunAsync(_ => ValueTask.FromResult("done")).DefaultTimeout();

        Assert.Equal("done", result);
    }

    [Fact]
    public async Task RunAsync_AsynchronousWork_ReturnsItsResult()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();

        Task<int> result = engine.RunAsync(work.Work);
        Assert.False(result.IsCompleted);
        work.Complete(7);

        Assert.Equal(7, await result.DefaultTimeout());
    }

    [Fact]
    public async Task Submit_WithoutOptions_RunsInTheDefaultLane()
    {
        await using PacerEngine engine = CreateEngine();

        string lane = await engine.RunAsync(context => ValueTask.FromResult(context.Lane)).DefaultTimeout();

        Assert.Equal(PacerEngine.DefaultLaneName, lane);
        Assert.Equal(1, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Succeeded);
    }

    [Fact]
    public async Task DefaultLane_TakesItsLimitsFromPacerOptions()
    {
        await using PacerEngine engine = CreateEngine(new PacerOptions { DefaultLane = new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 } });

        JobHandle<int>[] jobs = [engine.Submit(new ManualWork<int>().Work), engine.Submit(Jobs.Instant)];

        Assert.Equal([JobState.Running, JobState.Queued], jobs.Select(j => j.State));
    }

    [Fact]
    public async Task JobContext_DescribesTheAttempt()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        JobContext seen = default;

        JobHandle<int> job = engine.Submit(
            context =>
            {
                seen = context;
                return ValueTask.FromResult(0);
            },
            new JobOptions { Lane = "a" });

        Assert.Equal((job.Id, 1, "a", -1, null), (seen.JobId, seen.Attempt, seen.Lane, seen.Index, seen.State));
        Assert.True(seen.CancellationToken.CanBeCanceled);
    }

    [Fact]
    public async Task JobIds_AreUniqueAndIncreasing()
    {
        await using PacerEngine engine = CreateEngine();

        long[] ids = [.. Enumerable.Range(0, 5).Select(_ => engine.Submit(Jobs.Instant).Id)];

        Assert.Equal(ids.Order(), ids);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task WorkThrowingBeforeItsFirstAwait_FailsTheJobWithThatError()
    {
        await using PacerEngine engine = CreateEngine();
        var boom = new InvalidOperationException("boom");

        JobHandle<int> job = engine.Submit<int>(_ => throw boom);

        Assert.Equal(JobState.Failed, job.State);
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => job.Task.DefaultTimeout()));
    }

    [Fact]
    public async Task WorkFailingAfterItsFirstAwait_FailsTheJobWithThatError()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        var boom = new InvalidOperationException("boom");
        JobHandle<int> job = engine.Submit(work.Work);

        work.Fail(boom);

        Assert.Equal(JobState.Failed, job.State);
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => job.Task.DefaultTimeout()));
    }

    [Fact]
    public async Task Handles_OfTheSameJobAreEqual()
    {
        await using PacerEngine engine = CreateEngine();
        JobHandle<int> job = engine.Submit(Jobs.Instant);
        JobHandle<int> other = engine.Submit(Jobs.Instant);
        JobHandle<int> copy = job;

        Assert.True(job == copy);
        Assert.True(job != other);
        Assert.Equal(job.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public async Task SynchronousJobs_RunBackToBack_WithoutGrowingTheStack()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var blocker = new ManualWork<int>();
        engine.Submit(blocker.Work, new JobOptions { Lane = "c" });
        var options = new JobOptions { Lane = "c" };
        int ran = 0;
        Func<JobContext, ValueTask<int>> work = _ => ValueTask.FromResult(++ran);
        for (int i = 0; i < 200_000; i++)
        {
            engine.Submit(work, options);
        }

        blocker.Complete(0);

        Assert.Equal(200_000, ran);
    }
}
