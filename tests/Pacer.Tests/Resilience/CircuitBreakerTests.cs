using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private static readonly JobOptions s_once = new() { Lane = "api", Retry = RetryPolicy.None };
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task OpensAfterConsecutiveFailures_AndHoldsJobsUntilTheBreakEnds()
    {
        InlineContinuations.Enable();
        await using PacerEngine engine = CreateEngine(new CircuitBreakerOptions { ConsecutiveFailures = 3, BreakDuration = TimeSpan.FromSeconds(10) });
        var changes = new List<CircuitState>();
        engine.LaneChanged += (_, e) => changes.Add(e.Circuit);

        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<PermanentException>(() => engine.RunAsync(Jobs.Failing(() => new PermanentException("boom")), s_once));
        }

        Assert.Equal(CircuitState.Open, engine.GetLaneSnapshot("api").Circuit);
        Task<int> waiting = engine.RunAsync(Jobs.Instant, s_once);
        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(0, await waiting.DefaultTimeout());
        Assert.Equal(CircuitState.Closed, engine.GetLaneSnapshot("api").Circuit);
        Assert.Equal([CircuitState.Open, CircuitState.Closed], changes);
    }

    [Fact]
    public async Task Break_OfAnInexactNumberOfSeconds_EndsNotATickEarly()
    {
        // 75.44 ms is 0.07544 s, which a double holds as 0.0754399…: the break must not come out a tick short.
        InlineContinuations.Enable();
        TimeSpan breakDuration = TimeSpan.FromTicks(754_400);
        await using PacerEngine engine = CreateEngine(new CircuitBreakerOptions { ConsecutiveFailures = 1, BreakDuration = breakDuration });
        await Assert.ThrowsAsync<PermanentException>(() => engine.RunAsync(Jobs.Failing(() => new PermanentException("boom")), s_once));
        Task<int> waiting = engine.RunAsync(Jobs.Instant, s_once);

        _time.Advance(breakDuration - TimeSpan.FromTicks(1));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(0, await waiting.DefaultTimeout());
    }

    [Fact]
    public async Task HalfOpen_LetsExactlyOneProbeThrough()
    {
        InlineContinuations.Enable();
        await using PacerEngine engine = CreateEngine(new CircuitBreakerOptions { ConsecutiveFailures = 1, BreakDuration = TimeSpan.FromSeconds(5) });
        await Assert.ThrowsAsync<PermanentException>(() => engine.RunAsync(Jobs.Failing(() => new PermanentException("boom")), s_once));
        var probe = new TaskCompletionSource<int>();
        Task<int> first = engine.RunAsync(_ => new ValueTask<int>(probe.Task), s_once);
        Task<int> second = engine.RunAsync(Jobs.Instant, s_once);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(CircuitState.HalfOpen, engine.GetLaneSnapshot("api").Circuit);
        Assert.Equal(1, engine.GetLaneSnapshot("api").Running);
        Assert.False(second.IsCompleted);
        probe.SetResult(7);
        Assert.Equal(7, await first.DefaultTimeout());
        Assert.Equal(0, await second.DefaultTimeout());
        Assert.Equal(CircuitState.Closed, engine.GetLaneSnapshot("api").Circuit);
    }

    [Fact]
    public async Task FailedProbe_OpensTheCircuitAgain()
    {
        InlineContinuations.Enable();
        await using PacerEngine engine = CreateEngine(new CircuitBreakerOptions { ConsecutiveFailures = 1, BreakDuration = TimeSpan.FromSeconds(5) });
        await Assert.ThrowsAsync<PermanentException>(() => engine.RunAsync(Jobs.Failing(() => new PermanentException("boom")), s_once));
        Task<int> probe = engine.RunAsync(Jobs.Failing(() => new PermanentException("still down")), s_once);

        _time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<PermanentException>(() => probe.DefaultTimeout());
        Assert.Equal(CircuitState.Open, engine.GetLaneSnapshot("api").Circuit);
    }

    [Fact]
    public async Task FailureRatio_OpensOnceTheWindowHasEnoughAttempts()
    {
        InlineContinuations.Enable();
        await using PacerEngine engine = CreateEngine(new CircuitBreakerOptions
        {
            ConsecutiveFailures = 0,
            FailureRatio = 0.5,
            MinimumAttempts = 4,
            SamplingWindow = TimeSpan.FromSeconds(10),
        });

        await engine.RunAsync(Jobs.Instant, s_once);
        await Assert.ThrowsAsync<PermanentException>(() => engine.RunAsync(Jobs.Failing(() => new PermanentException("1")), s_once));
        await engine.RunAsync(Jobs.Instant, s_once);
        Assert.Equal(CircuitState.Closed, engine.GetLaneSnapshot("api").Circuit);

        await Assert.ThrowsAsync<PermanentException>(() => engine.RunAsync(Jobs.Failing(() => new PermanentException("2")), s_once));

        Assert.Equal(CircuitState.Open, engine.GetLaneSnapshot("api").Circuit);
    }

    [Fact]
    public async Task FailFastWhenOpen_FailsQueuedAndNewJobsAtOnce()
    {
        InlineContinuations.Enable();
        await using PacerEngine engine = CreateEngine(
            new CircuitBreakerOptions { ConsecutiveFailures = 1, BreakDuration = TimeSpan.FromSeconds(5), FailFastWhenOpen = true }, maxConcurrency: 1);
        var running = new TaskCompletionSource<int>();
        Task<int> failing = engine.RunAsync(_ => new ValueTask<int>(running.Task), s_once);
        Task<int> queued = engine.RunAsync(Jobs.Instant, s_once);

        running.SetException(new PermanentException("down"));

        await Assert.ThrowsAsync<PermanentException>(() => failing.DefaultTimeout());
        CircuitOpenException error = await Assert.ThrowsAsync<CircuitOpenException>(() => queued.DefaultTimeout());
        Assert.Equal("Lane 'api': the circuit is open and the lane fails fast.", error.Message);
        await Assert.ThrowsAsync<CircuitOpenException>(() => engine.RunAsync(Jobs.Instant, s_once).DefaultTimeout());
        Assert.Equal(0, engine.GetLaneSnapshot("api").Queued);
    }

    [Fact]
    public void Options_AreValidatedWithTheFieldNamed()
    {
        using var engine = new PacerEngineScope();
        ArgumentException error = Assert.Throws<ArgumentException>(() => engine.Engine.AddLane("api", new LaneOptions
        {
            PeriodMargin = TimeSpan.Zero,
            CircuitBreaker = new CircuitBreakerOptions { ConsecutiveFailures = 0, BreakDuration = TimeSpan.Zero },
        }));

        Assert.Equal(
            "Lane 'api': CircuitBreaker needs ConsecutiveFailures above 0 or a FailureRatio." + Environment.NewLine +
            "Lane 'api': CircuitBreaker.BreakDuration must be positive, got 00:00:00.",
            error.Message);
    }

    private PacerEngine CreateEngine(CircuitBreakerOptions breaker, int? maxConcurrency = null)
    {
        var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("api", new LaneOptions { PeriodMargin = TimeSpan.Zero, CircuitBreaker = breaker, MaxConcurrency = maxConcurrency });
        return engine;
    }

    private sealed class PacerEngineScope : IDisposable
    {
        public PacerEngine Engine { get; } = new();

        public void Dispose() => Engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
