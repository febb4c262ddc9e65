namespace Pacer.Tests.Resilience;

public partial class RetryTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine(Random? random = null)
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time, Random = random });
    }

    /// <summary>A body that records each attempt's start and fails it with <paramref name="error"/> until attempt <paramref name="succeedOn"/>.</summary>
    private static Func<JobContext, ValueTask<int>> FailingUntil(StartLog log, int succeedOn, Func<int, Exception> error) => context =>
    {
        log.Record(context.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return context.Attempt >= succeedOn ? ValueTask.FromResult(context.Attempt) : ValueTask.FromException<int>(error(context.Attempt));
    };

    [Fact]
    public async Task Backoff_WithoutJitter_DoublesFromBaseDelayUpToMaxDelay()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(350), Jitter = 0 };
        var log = new StartLog(_time);

        JobHandle<int> job = engine.Submit(FailingUntil(log, 99, _ => new RetryableException("busy")), new JobOptions { Retry = policy });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));

        // Delays 100, 200, 400 capped to 350, then 350 again.
        Assert.Equal(Ms.Of(0, 100, 300, 650, 1000), log.Times);
        await Assert.ThrowsAsync<RetryableException>(() => job.Task.DefaultTimeout());
        Assert.Equal((JobState.Failed, 5), (job.State, job.Attempts));
    }

    [Fact]
    public async Task Backoff_SucceedingOnALaterAttempt_ReturnsItsResult()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
        var log = new StartLog(_time);

        Task<int> job = engine.RunAsync(FailingUntil(log, 3, _ => new TimeoutException()), new JobOptions { Retry = policy });

        Assert.Equal(3, await _time.RunUntilCompleteAsync(job, TimeSpan.FromMinutes(1)));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)], log.Times);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2024)]
    public async Task Jitter_SpreadsEachDelayWithinItsBounds_RepeatablyForASeed(int seed)
    {
        var policy = new RetryPolicy { MaxAttempts = 6, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0.5 };

        async Task<TimeSpan[]> DelaysAsync()
        {
            await using PacerEngine engine = CreateEngine(new Random(seed));
            var log = new StartLog(_time);
            JobHandle<int> job = engine.Submit(FailingUntil(log, 99, _ => new RetryableException("busy")), new JobOptions { Retry = policy });
            _time.AdvanceStepwise(TimeSpan.FromMinutes(3));
            Assert.Equal(JobState.Failed, job.State);
            return [.. log.Times.Zip(log.Times.Skip(1), (a, b) => b - a)];
        }

        TimeSpan[] delays = await DelaysAsync();
        TimeSpan[] again = await DelaysAsync();

        Assert.Equal(5, delays.Length);
        for (int n = 0; n < delays.Length; n++)
        {
            TimeSpan nominal = TimeSpan.FromSeconds(Math.Pow(2, n));
            Assert.InRange(delays[n], nominal * 0.5, nominal * 1.5);
        }

        Assert.Equal(delays, again);
        Assert.NotEqual([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)], delays);
    }

    [Fact]
    public async Task Jitter_NeverTakesTheDelayAboveMaxDelay()
    {
        await using PacerEngine engine = CreateEngine(new Random(3));
        var policy = new RetryPolicy { MaxAttempts = 8, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(2), Jitter = 1 };
        var log = new StartLog(_time);

        engine.Submit(FailingUntil(log, 99, _ => new RetryableException("busy")), new JobOptions { Retry = policy });
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));

        Assert.Equal(8, log.Count);
        Assert.All(log.Times.Zip(log.Times.Skip(1), (a, b) => b - a), d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData(7_000)] // longer than the backoff
    [InlineData(250)] // shorter than the backoff: the service knows best
    [InlineData(1)]
    public async Task RetryAfter_FromTheFailure_IsHonouredExactly(int retryAfterMs)
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromSeconds(3), Jitter = 0.5 };
        var log = new StartLog(_time);

        Task<int> job = engine.RunAsync(
            FailingUntil(log, 2, _ => new RetryableException("slow down", TimeSpan.FromMilliseconds(retryAfterMs))),
            new JobOptions { Retry = policy });

        Assert.Equal(2, await _time.RunUntilCompleteAsync(job, TimeSpan.FromMinutes(1)));
        Assert.Equal(Ms.Of(0, retryAfterMs), log.Times);
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxRetryAfter_FailsAtOnce()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 5, MaxRetryAfter = TimeSpan.FromMinutes(1) };
        var log = new StartLog(_time);

        JobHandle<int> job = engine.Submit(FailingUntil(log, 99, _ => new RetryableException("come back tomorrow", TimeSpan.FromHours(24))), new JobOptions { Retry = policy });

        Assert.Equal((JobState.Failed, 1), (job.State, job.Attempts));
        await Assert.ThrowsAsync<RetryableException>(() => job.Task.DefaultTimeout());
    }

    [Fact]
    public async Task MaxAttempts_Reached_FailsWithTheLastError()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10), Jitter = 0 };
        var log = new StartLog(_time);

        JobHandle<int> job = engine.Submit(FailingUntil(log, 99, attempt => new TimeoutException($"attempt {attempt}")), new JobOptions { Retry = policy });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => job.Task.DefaultTimeout());
        Assert.Equal("attempt 3", error.Message);
        Assert.Equal(3, log.Count);
    }

    [Fact]
    public async Task RetryPolicyNone_MakesOneAttempt()
    {
        await using PacerEngine engine = CreateEngine();
        var log = new StartLog(_time);

        JobHandle<int> job = engine.Submit(FailingUntil(log, 99, _ => new TimeoutException()), new JobOptions { Retry = RetryPolicy.None });
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));

        Assert.Equal((JobState.Failed, 1), (job.State, log.Count));
    }

    [Fact]
    public async Task DefaultRetry_FromPacerOptions_AppliesToJobsNamingNoPolicy()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions
        {
            TimeProvider = _time,
            DefaultRetry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10), Jitter = 0 },
        });
        var log = new StartLog(_time);

        engine.Submit(FailingUntil(log, 99, _ => new TimeoutException()));
        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        Assert.Equal(Ms.Of(0, 10, 30, 70), log.Times);
    }

    public static TheoryData<string> PermanentErrors() => ["permanent", "invalid operation", "argument", "http 404"];

    private static Exception Error(string name) => name switch
    {
        "permanent" => new PermanentException("no"),
        "invalid operation" => new InvalidOperationException("bug"),
        "argument" => new ArgumentException("bad input"),
        "http 404" => new HttpRequestException("not found", null, System.Net.HttpStatusCode.NotFound),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(PermanentErrors))]
    public async Task PermanentFailure_IsNotRetried(string error)
    {
        await using PacerEngine engine = CreateEngine();
        var log = new StartLog(_time);

        JobHandle<int> job = engine.Submit(FailingUntil(log, 99, _ => Error(error)), new JobOptions { Retry = new RetryPolicy { MaxAttempts = 5 } });
        _time.AdvanceStepwise(TimeSpan.FromMinutes(5));

        Assert.Equal((JobState.Failed, 1), (job.State, log.Count));
        Assert.Equal(0, engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Retries);
    }

    [Fact]
    public async Task CustomClassifier_DecidesWhatIsRetried_AndWhen()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy
        {
            MaxAttempts = 3,
            Classify = e => e is InvalidOperationException ? FailureVerdict.RetryAfterDelay(TimeSpan.FromMilliseconds(40)) : FailureVerdict.Permanent,
        };
        var log = new StartLog(_time);

        Task<int> job = engine.RunAsync(FailingUntil(log, 3, _ => new InvalidOperationException("flaky")), new JobOptions { Retry = policy });

        Assert.Equal(3, await _time.RunUntilCompleteAsync(job, TimeSpan.FromMinutes(1)));
        Assert.Equal(Ms.Of(0, 40, 80), log.Times);
    }

    [Fact]
    public async Task CustomClassifier_SayingPermanent_StopsEvenRetryableExceptions()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 3, Classify = _ => FailureVerdict.Permanent };
        var log = new StartLog(_time);

        JobHandle<int> job = engine.Submit(FailingUntil(log, 99, _ => new RetryableException("busy")), new JobOptions { Retry = policy });
        _time.AdvanceStepwise(TimeSpan.FromMinutes(1));

        Assert.Equal((JobState.Failed, 1), (job.State, log.Count));
    }

    [Fact]
    public async Task ClassifierThatThrows_FailsTheJobWithTheOriginalError()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 3, Classify = _ => throw new InvalidOperationException("classifier bug") };
        var original = new TimeoutException("original");

        JobHandle<int> job = engine.Submit(_ => ValueTask.FromException<int>(original), new JobOptions { Retry = policy });

        Assert.Equal(JobState.Failed, job.State);
        Assert.Same(original, await Assert.ThrowsAsync<TimeoutException>(() => job.Task.DefaultTimeout()));
    }

    [Fact]
    public async Task RetryWait_HoldsNoSlot_AnotherJobRunsInTheFreedSlot()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("c", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 };
        var flaky = new ManualWork<int>();
        var other = new ManualWork<int>();
        JobHandle<int> first = engine.Submit(flaky.Work, new JobOptions { Lane = "c", Retry = policy });
        JobHandle<int> second = engine.Submit(other.Work, new JobOptions { Lane = "c" });

        flaky.Fail(new RetryableException("busy"));

        Assert.Equal((JobState.WaitingToRetry, JobState.Running), (first.State, second.State));
        LaneSnapshot lane = engine.GetLaneSnapshot("c");
        Assert.Equal((1, 1, 0), (lane.Running, lane.WaitingToRetry, lane.Queued));

        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));
        Assert.Equal(JobState.Queued, first.State);
        other.Complete(0);
        Assert.Equal((JobState.Running, 2), (first.State, flaky.Starts));
    }

    [Fact]
    public async Task RetriedJob_SpendsTheLanesRateAgain()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("r", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(1) } });
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10), Jitter = 0 };
        var log = new StartLog(_time);

        Task<int> job = engine.RunAsync(FailingUntil(log, 2, _ => new RetryableException("busy")), new JobOptions { Lane = "r", Retry = policy });
        _time.AdvanceStepwise(TimeSpan.FromSeconds(2));

        await job.DefaultTimeout();
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1)], log.Times);
    }

    [Fact]
    public async Task Backoff_LongerThanATimerCanWait_RetryStillHappensWhenDue()
    {
        await using PacerEngine engine = CreateEngine();
        var policy = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromDays(60), MaxDelay = TimeSpan.FromDays(60), Jitter = 0 };
        var log = new StartLog(_time);

        Task<int> job = engine.RunAsync(FailingUntil(log, 2, _ => new RetryableException("busy")), new JobOptions { Retry = policy });

        Assert.Equal(2, await _time.RunUntilCompleteAsync(job, TimeSpan.FromDays(61)));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromDays(60)], log.Times);
    }
}
