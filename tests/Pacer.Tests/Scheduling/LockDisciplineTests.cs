namespace Pacer.Tests.Scheduling;

/// <summary>
/// Rule 7: no engine lock is held while user code runs. Each test runs user code that asks another
/// thread to take the engine lock (through a snapshot) and waits for it: were the lock held, that
/// thread would block and the wait would time out.
/// </summary>
public class LockDisciplineTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static bool LockIsFree(PacerEngine engine)
    {
        Task other = Task.Run(() => engine.GetSnapshot());
        return SpinWait.SpinUntil(() => other.IsCompleted, TaskTimeoutExtensions.DefaultTimeoutSpan);
    }

    [Fact]
    public async Task Work_RunsWithoutTheEngineLock()
    {
        await using PacerEngine engine = CreateEngine();
        bool free = false;

        await engine.RunAsync(_ => ValueTask.FromResult(free = LockIsFree(engine))).DefaultTimeout();

        Assert.True(free);
    }

    [Fact]
    public async Task WorkStartedWhenAnotherJobEnds_RunsWithoutTheEngineLock()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var first = new ManualWork<int>();
        engine.Submit(first.Work, new JobOptions { Lane = "c" });
        bool free = false;
        engine.Submit(_ => ValueTask.FromResult(free = LockIsFree(engine)), new JobOptions { Lane = "c" });

        first.Complete(0);

        Assert.True(free);
    }

    [Fact]
    public async Task WorkStartedByALaneTimer_RunsWithoutTheEngineLock()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(1) } });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "r" });
        bool free = false;
        engine.Submit(_ => ValueTask.FromResult(free = LockIsFree(engine)), new JobOptions { Lane = "r" });

        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        Assert.True(free);
    }

    [Fact]
    public async Task JobFinishedHandler_RunsWithoutTheEngineLock()
    {
        await using PacerEngine engine = CreateEngine();
        bool free = false;
        engine.JobFinished += (_, _) => free = LockIsFree(engine);

        await engine.RunAsync(Jobs.Instant).DefaultTimeout();

        Assert.True(free);
    }

    [Fact]
    public async Task JobRetryingHandler_RunsWithoutTheEngineLock()
    {
        await using PacerEngine engine = CreateEngine();
        bool free = false;
        engine.JobRetrying += (_, _) => free = LockIsFree(engine);

        engine.Submit(Jobs.Failing(() => new TimeoutException()));

        Assert.True(free);
    }

    [Fact]
    public async Task CancellationCallbackOfARunningAttempt_RunsWithoutTheEngineLock()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        JobHandle<int> job = engine.Submit(work.Work);
        bool free = false;
        work.Token.Register(() => free = LockIsFree(engine));

        job.Cancel();

        Assert.True(free);
    }

    [Fact]
    public async Task AwaitingCaller_ResumesWithoutTheEngineLock()
    {
        await using PacerEngine engine = CreateEngine();
        var work = new ManualWork<int>();
        Task<int> job = engine.RunAsync(work.Work);
        Task<bool> resumed = job.ContinueWith(_ => LockIsFree(engine), TaskContinuationOptions.ExecuteSynchronously);

        work.Complete(0);

        Assert.True(await resumed.DefaultTimeout());
    }
}
