using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Scheduling;

public sealed class PostTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task PostedJobs_RunWithinTheLaneLimits_AndReportTheirEnd()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("api", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        var starts = new List<TimeSpan>();
        var finished = new List<long>();
        engine.JobFinished += (_, e) => finished.Add(e.JobId);
        long origin = _time.GetTimestamp();

        for (int i = 0; i < 5; i++)
        {
            engine.Post(_ =>
            {
                starts.Add(_time.GetElapsedTime(origin));
                return ValueTask.CompletedTask;
            }, new JobOptions { Lane = "api" });
        }

        for (int step = 0; step < 10; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal([0, 100, 200, 300, 400], starts.Select(s => (int)s.TotalMilliseconds));
        Assert.Equal([1, 2, 3, 4, 5], finished);
    }

    [Fact]
    public async Task PostedJob_ReusedAfterItEnds_StartsFresh()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        var attempts = new List<(long Id, int Attempt, object? State)>();
        Func<JobContext, ValueTask> work = context =>
        {
            attempts.Add((context.JobId, context.Attempt, context.State));
            return ValueTask.CompletedTask;
        };

        engine.Post(work);
        engine.Post(work);

        Assert.Equal([(1L, 1, (object?)null), (2L, 1, null)], attempts);
        Assert.Equal(2, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Succeeded);
    }

    [Fact]
    public async Task PostedJob_FailingOnce_IsRetried()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        int calls = 0;
        engine.Post(
            _ => ++calls == 1 ? throw new RetryableException("busy", TimeSpan.FromSeconds(2)) : ValueTask.CompletedTask,
            new JobOptions { Retry = new RetryPolicy { MaxAttempts = 2 } });

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(2, calls);
        Assert.Equal(1, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Succeeded);
    }

    [Fact]
    public async Task CancelAll_CancelsPostedJobs()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("slow", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerMinute(1) } });
        for (int i = 0; i < 3; i++)
        {
            engine.Post(_ => ValueTask.CompletedTask, new JobOptions { Lane = "slow" });
        }

        engine.CancelAll();

        LaneSnapshot lane = engine.GetLaneSnapshot("slow");
        Assert.Equal((1L, 2L, 0), (lane.Succeeded, lane.Cancelled, lane.Queued));
    }

    [Fact]
    public async Task Post_WithAnIdempotencyKey_IsRefused()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });

        ArgumentException error = Assert.Throws<ArgumentException>(() => engine.Post(_ => ValueTask.CompletedTask, new JobOptions { IdempotencyKey = "k" }));

        Assert.StartsWith("Post does not take an idempotency key; use Submit", error.Message, StringComparison.Ordinal);
    }
}
