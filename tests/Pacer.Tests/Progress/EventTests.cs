namespace Pacer.Tests.Progress;

public class EventTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static List<JobEventArgs> Record(PacerEngine engine, bool retrying = false)
    {
        var events = new List<JobEventArgs>();
        if (retrying)
        {
            engine.JobRetrying += (_, e) => events.Add(e);
        }
        else
        {
            engine.JobFinished += (_, e) => events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task JobFinished_RaisedOncePerJob_WithItsFinalState()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("a", new LaneOptions { PeriodMargin = TimeSpan.Zero });
        List<JobEventArgs> finished = Record(engine);
        var boom = new PermanentException("no");

        JobHandle<int> succeeded = engine.Submit(Jobs.Instant, new JobOptions { Lane = "a" });
        JobHandle<int> failed = engine.Submit(Jobs.Failing(() => boom));
        JobHandle<int> cancelled = engine.Submit(new ManualWork<int>().Work);
        cancelled.Cancel();

        Assert.Equal(
            [(succeeded.Id, "a", JobState.Succeeded), (failed.Id, "default", JobState.Failed), (cancelled.Id, "default", JobState.Cancelled)],
            finished.Select(e => (e.JobId, e.Lane, e.State)));
        Assert.Null(finished[0].Error);
        Assert.Same(boom, finished[1].Error);
        Assert.IsAssignableFrom<OperationCanceledException>(finished[2].Error);
    }

    [Fact]
    public async Task JobFinished_ElapsedIsTheTimeSinceSubmission()
    {
        await using PacerEngine engine = CreateEngine();
        List<JobEventArgs> finished = Record(engine);

        engine.Submit(_ => new ValueTask<int>(_time.CompleteAfter(TimeSpan.FromSeconds(3), 0)));
        _time.AdvanceStepwise(TimeSpan.FromSeconds(5));

        JobEventArgs e = Assert.Single(finished);
        Assert.Equal(TimeSpan.FromSeconds(3), e.Elapsed);
        Assert.Equal((1, -1), (e.Attempts, e.Index));
    }

    [Fact]
    public async Task JobRetrying_RaisedForEachParkedAttempt_ThenJobFinished()
    {
        await using PacerEngine engine = CreateEngine();
        List<JobEventArgs> retrying = Record(engine, retrying: true);
        List<JobEventArgs> finished = Record(engine);
        var policy = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

        JobHandle<int> job = engine.Submit(Jobs.Failing(() => new TimeoutException("slow")), new JobOptions { Retry = policy });
        Assert.Single(retrying);
        _time.AdvanceStepwise(TimeSpan.FromSeconds(10));

        Assert.Equal([(1, JobState.WaitingToRetry), (2, JobState.WaitingToRetry)], retrying.Select(e => (e.Attempts, e.State)));
        Assert.All(retrying, e => Assert.IsType<TimeoutException>(e.Error));
        JobEventArgs last = Assert.Single(finished);
        Assert.Equal((job.Id, 3, JobState.Failed), (last.JobId, last.Attempts, last.State));
    }

    [Fact]
    public async Task JobFinished_ForABatchJob_CarriesItsIndex()
    {
        await using PacerEngine engine = CreateEngine();
        List<JobEventArgs> finished = Record(engine);
        Batch<int> batch = engine.CreateBatch<int>();

        batch.Add(Jobs.Instant);
        batch.Add(Jobs.Instant);

        Assert.Equal([0, 1], finished.Select(e => e.Index));
    }
}
