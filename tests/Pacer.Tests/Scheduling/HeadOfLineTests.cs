namespace Pacer.Tests.Scheduling;

/// <summary>Rule 3: a lane that cannot start work never holds back another lane.</summary>
public class HeadOfLineTests
{
    private readonly SteppedTimeProvider _time = new();

    private PacerEngine CreateEngine()
    {
        InlineContinuations.Enable();
        return new PacerEngine(new PacerOptions { TimeProvider = _time });
    }

    private static void AddSiblings(PacerEngine engine, LaneOptions a, LaneOptions? parent = null)
    {
        engine.AddLane("p", parent ?? new LaneOptions { PeriodMargin = TimeSpan.Zero });
        engine.AddLane("p/a", a);
        engine.AddLane("p/b", new LaneOptions { PeriodMargin = TimeSpan.Zero });
    }

    [Fact]
    public async Task LaneBlockedByItsRate_DoesNotHoldBackASiblingLane()
    {
        await using PacerEngine engine = CreateEngine();
        AddSiblings(engine, new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerMinute(1) } });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/a" });
        JobHandle<int> blocked = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/a", Priority = 10 });

        JobHandle<int> other = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/b", Priority = 0 });

        Assert.Equal(JobState.Queued, blocked.State);
        Assert.Equal(JobState.Succeeded, other.State);
    }

    [Fact]
    public async Task LaneBlockedByItsConcurrency_DoesNotHoldBackASiblingLane()
    {
        await using PacerEngine engine = CreateEngine();
        AddSiblings(engine, new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 1 });
        engine.Submit(new ManualWork<int>().Work, new JobOptions { Lane = "p/a" });
        JobHandle<int> blocked = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/a", Priority = 10 });

        JobHandle<int> other = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/b" });

        Assert.Equal(JobState.Queued, blocked.State);
        Assert.Equal(JobState.Succeeded, other.State);
    }

    [Fact]
    public async Task LaneBlockedByItsRate_DoesNotHoldBackAnotherRootLane()
    {
        await using PacerEngine engine = CreateEngine();
        engine.AddLane("a", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerMinute(1) } });
        engine.AddLane("b", new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(10) } });
        var log = new StartLog(_time);
        Task<int>[] a = [.. Enumerable.Range(0, 2).Select(_ => engine.RunAsync(log.Instant("a"), new JobOptions { Lane = "a" }))];
        Task<int>[] b = [.. Enumerable.Range(0, 3).Select(_ => engine.RunAsync(log.Instant("b"), new JobOptions { Lane = "b" }))];

        _time.AdvanceStepwise(TimeSpan.FromSeconds(1));

        await Task.WhenAll(b).DefaultTimeout();
        Assert.Equal(["a", "b", "b", "b"], log.Names);
        Assert.Equal(Ms.Of(0, 0, 100, 200), log.Times);
        Assert.False(a[1].IsCompleted);
    }

    [Fact]
    public async Task CostlyJobBlockedInOneLane_DoesNotStopAnotherLane()
    {
        await using PacerEngine engine = CreateEngine();
        AddSiblings(engine, new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/a", Cost = 100 });
        JobHandle<int> costly = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/a", Cost = 100, Priority = 10 });

        JobHandle<int> other = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/b", Cost = 100 });

        Assert.Equal(JobState.Queued, costly.State);
        Assert.Equal(JobState.Succeeded, other.State);
    }

    [Fact]
    public async Task CostlyJobBlockedByTheParentsCostRate_DoesNotStopASmallerJobInASibling()
    {
        await using PacerEngine engine = CreateEngine();
        AddSiblings(engine, new LaneOptions { PeriodMargin = TimeSpan.Zero }, parent: new LaneOptions { PeriodMargin = TimeSpan.Zero, CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/a", Cost = 60 });
        JobHandle<int> costly = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/a", Cost = 60, Priority = 10 });

        JobHandle<int> small = engine.Submit(Jobs.Instant, new JobOptions { Lane = "p/b", Cost = 10 });

        Assert.Equal(JobState.Queued, costly.State);
        Assert.Equal(JobState.Succeeded, small.State);
    }

    [Fact]
    public async Task BlockedLane_StartsExactlyOnTime_WhileItsSiblingIsBusy()
    {
        await using PacerEngine engine = CreateEngine();
        AddSiblings(engine, new LaneOptions { PeriodMargin = TimeSpan.Zero, Rates = { RateLimit.PerSecond(1) } });
        var log = new StartLog(_time);
        Task<int>[] a = [.. Enumerable.Range(0, 3).Select(_ => engine.RunAsync(log.Instant("a"), new JobOptions { Lane = "p/a" }))];
        Task<int>[] b = [.. Enumerable.Range(0, 4).Select(i => engine.RunAsync(
            _ =>
            {
                log.Record("b");
                return new ValueTask<int>(_time.CompleteAfter(TimeSpan.FromMilliseconds(700), 0));
            },
            new JobOptions { Lane = "p/b" }))];

        _time.AdvanceStepwise(TimeSpan.FromSeconds(3));

        await Task.WhenAll([.. a, .. b]).DefaultTimeout();
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], log.Times.Where((_, i) => log.Names[i] == "a"));
    }
}
