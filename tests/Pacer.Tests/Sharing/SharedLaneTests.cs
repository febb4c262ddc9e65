using Microsoft.Extensions.Time.Testing;
using static Pacer.Tests.Sharing.SharedLaneHarness;

namespace Pacer.Tests.Sharing;

/// <summary>
/// Engines whose lane keeps its rate and concurrency in one <see cref="ILaneState"/> keep one limit
/// together, on fake time (<see cref="SharedLaneHarness"/>); and what a lane does while its store is
/// down. Cost rates and quotas: <see cref="SharedCostAndQuotaTests"/>.
/// </summary>
public class SharedLaneTests
{
    private static readonly LaneOptions s_twentyPerSecond = new()
    {
        Rates = [RateLimit.PerSecond(20, burst: 2)],
        PeriodMargin = TimeSpan.Zero,
    };

    [Fact]
    public async Task TwoEngines_OneLimit_NeverExceededInAnyWindow_AndReachedTogether()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var log = new StartLog(time);
        await using var a = Engine(time, state);
        await using var b = Engine(time, state);
        List<Task<int>> jobs = [];
        for (int i = 0; i < 30; i++)
        {
            jobs.Add(a.RunAsync(log.Instant("a" + i), new JobOptions { Lane = "api" }));
            jobs.Add(b.RunAsync(log.Instant("b" + i), new JobOptions { Lane = "api" }));
        }

        await RunUntilAsync(time, () => jobs.All(j => j.IsCompleted), a, b);

        IReadOnlyList<TimeSpan> starts = log.Times;
        Assert.Equal(60, starts.Count);
        foreach (TimeSpan start in starts)
        {
            // 20 a second and a burst of 2, plus the one start a 1 ms slack may let in.
            int inWindow = starts.Count(s => s >= start && s < start + TimeSpan.FromSeconds(1));
            Assert.True(inWindow <= 22, $"{inWindow} starts in the second from {start}");
        }

        // Least time for 60 starts at 20/s with a burst of 2: (60 − 2) / 20 = 2.9 s.
        Assert.InRange(starts.Max(), TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(3.0));
        Assert.Contains(log.Names, n => n.StartsWith('a'));
        Assert.Contains(log.Names, n => n.StartsWith('b'));
    }

    [Fact]
    public async Task StartsReservedForJobsCancelledMeanwhile_AreDroppedUnused_AndCounted()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var log = new StartLog(time);
        await using var engine = Engine(time, state);
        using var cancel = new CancellationTokenSource();
        Task<int>[] kept = [.. Enumerable.Range(0, 2).Select(i => engine.RunAsync(log.Instant("kept" + i), new JobOptions { Lane = "api" }))];
        Task<int>[] dropped = [.. Enumerable.Range(0, 3).Select(i => engine.RunAsync(log.Instant("dropped" + i), new JobOptions { Lane = "api" }, cancel.Token))];

        // The first refill reserves a start for each job: the burst's two at once, the rest 50 ms
        // apart. The two run at once; the other three are cancelled before their starts come.
        RunRefills([engine]);
        Assert.Equal(2, log.Times.Count);
        await cancel.CancelAsync();
        DateTimeOffset cancelled = time.GetUtcNow();
        await RunUntilAsync(time, () => time.GetUtcNow() >= cancelled.AddMilliseconds(200), engine);

        // A job after their time finds them past their slack: dropped, counted, and a new start reserved for it.
        Task<int> later = engine.RunAsync(log.Instant("later"), new JobOptions { Lane = "api" });
        await RunUntilAsync(time, () => later.IsCompleted, engine);

        Assert.All(kept, k => Assert.True(k.IsCompletedSuccessfully));
        Assert.All(dropped, d => Assert.True(d.IsCanceled));
        Assert.Equal(["kept0", "kept1", "later"], log.Names.Order());
        Assert.Equal(3, engine.GetLaneSnapshot("api").SharedStartsExpired);
    }

    [Fact]
    public async Task StoreDown_LaneStartsNothing_SaysSo_AndGoesOnWhenItIsBack()
    {
        var time = new FakeTimeProvider();
        var state = new FlakyLaneState(NewState(time)) { Down = true };
        var log = new StartLog(time);
        await using var engine = Engine(time, state);
        List<LaneChange> changes = RecordChanges(engine);
        Task<int>[] jobs = [.. Enumerable.Range(0, 5).Select(i => engine.RunAsync(log.Instant("j" + i), new JobOptions { Lane = "api" }))];

        await RunUntilAsync(time, () => time.GetUtcNow() - log.Origin >= TimeSpan.FromSeconds(3), engine);

        Assert.Equal(0, log.Count);
        LaneSnapshot down = engine.GetLaneSnapshot("api");
        Assert.Contains("shared lane state is unreachable", down.SharedStateProblem);
        Assert.Contains("store is down", down.SharedStateProblem);
        Assert.Equal(5, down.Queued);

        state.Down = false;
        await RunUntilAsync(time, () => jobs.All(j => j.IsCompleted), engine);

        Assert.Equal(5, log.Count);
        Assert.Null(engine.GetLaneSnapshot("api").SharedStateProblem);
        lock (changes)
        {
            Assert.Equal([LaneChange.SharedStateLost, LaneChange.SharedStateRestored], changes);
        }

        // Back within the longest wait between tries (2 s) of the store answering again.
        Assert.True(log.Times.Min() <= TimeSpan.FromSeconds(3 + 2), $"first start at {log.Times.Min()}");
    }

    [Fact]
    public async Task StoreDown_WithALocalShare_RunsAtThatShare_AndGoesBackToTheStoreWhenItAnswers()
    {
        var time = new FakeTimeProvider();
        var state = new FlakyLaneState(NewState(time)) { Down = true };
        var log = new StartLog(time);
        await using var engine = Engine(time, new LaneOptions
        {
            Rates = [RateLimit.PerSecond(20, burst: 2)],
            MaxConcurrency = 8,
            PeriodMargin = TimeSpan.Zero,
            SharedState = state,
            SharedStateDownShare = 0.5,
        });
        List<LaneChange> changes = RecordChanges(engine);
        Task<int>[] jobs = [.. Enumerable.Range(0, 60).Select(i => engine.RunAsync(log.Instant("j" + i), new JobOptions { Lane = "api" }))];

        await RunUntilAsync(time, () => time.GetUtcNow() - log.Origin >= TimeSpan.FromSeconds(2), engine);

        // Half the limit alone: 10 a second with a burst of 1, from a full bucket: 1 + 10 × 2 by 2 s.
        Assert.InRange(log.Count, 20, 21);
        Assert.Contains("the lane runs alone at 0.5 of its limits until it is back", engine.GetLaneSnapshot("api").SharedStateProblem);

        state.Down = false;
        await RunUntilAsync(time, () => jobs.All(j => j.IsCompleted), engine);

        Assert.Null(engine.GetLaneSnapshot("api").SharedStateProblem);
        lock (changes)
        {
            Assert.Equal([LaneChange.SharedStateLost, LaneChange.SharedStateRestored], changes);
        }

        // Back on the store within its longest wait between tries (2 s), at the whole limit: sooner
        // than the 6 s that half the limit alone would take for 60 starts.
        IReadOnlyList<TimeSpan> starts = log.Times;
        Assert.True(starts.Max() < TimeSpan.FromSeconds(5), $"the last start at {starts.Max()}");
    }

    [Fact]
    public void SharedStateDownShare_OutsideZeroToOne_IsRefusedByName()
    {
        var engine = new PacerEngine();
        var error = Assert.Throws<ArgumentException>(() => engine.AddLane("api", new LaneOptions
        {
            Rates = [RateLimit.PerSecond(5)],
            SharedState = new InProcessLaneState(),
            SharedStateDownShare = 1.5,
        }));

        Assert.Contains("Lane 'api': SharedStateDownShare must be between 0 and 1, got 1.5.", error.Message);
    }

    [Fact]
    public async Task TwoEngines_OneConcurrencyLimit_NeverMoreAtOnce_AndUsedInFull()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var lane = new LaneOptions { MaxConcurrency = 3, SharedState = state };
        await using var a = Engine(time, lane);
        await using var b = Engine(time, lane);
        int running = 0;
        int most = 0;
        async ValueTask<int> Work(JobContext context)
        {
            int now = Interlocked.Increment(ref running);
            most = Math.Max(most, now);
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
            Interlocked.Decrement(ref running);
            return 1;
        }

        List<Task<int>> jobs = [];
        for (int i = 0; i < 12; i++)
        {
            jobs.Add(a.RunAsync(Work, new JobOptions { Lane = "api" }));
            jobs.Add(b.RunAsync(Work, new JobOptions { Lane = "api" }));
        }

        DateTimeOffset began = time.GetUtcNow();
        await RunUntilAsync(time, () => jobs.All(j => j.IsCompleted), a, b);

        Assert.Equal(3, most);
        // 24 jobs of 100 ms, 3 at once: 0.8 s at least; a slot given back waits at most one poll (20 ms) to be taken.
        Assert.InRange(time.GetUtcNow() - began, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.6));

        // With no work left, each engine gives its slots back: all 3 are free for anyone.
        await RunUntilAsync(time, () => state.AcquireSlotsAsync("api", 3, ["probe/1", "probe/2", "probe/3"], TimeSpan.FromSeconds(1), default).AsTask().Result == 3, a, b);
    }

    [Fact]
    public async Task SlotsOfAProcessThatDied_ComeBackAfterTheirLeaseTime()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        // A process took both slots with a 5 s lease, then died.
        Assert.Equal(2, await state.AcquireSlotsAsync("api", 2, ["dead/1", "dead/2"], TimeSpan.FromSeconds(5), default));
        await using var engine = Engine(time, new LaneOptions { MaxConcurrency = 2, SharedState = state });
        var log = new StartLog(time);
        Task<int>[] jobs = [.. Enumerable.Range(0, 2).Select(i => engine.RunAsync(log.Instant("j" + i), new JobOptions { Lane = "api" }))];

        await RunUntilAsync(time, () => jobs.All(j => j.IsCompleted), engine);

        Assert.All(log.Times, t => Assert.InRange(t, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.1)));
    }

    [Fact]
    public async Task DisposedEngine_GivesItsSlotsBack()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var engine = Engine(time, new LaneOptions { MaxConcurrency = 2, SharedState = state });
        var work = new TaskCompletionSource<int>();
        Task<int> first = engine.RunAsync(_ => new ValueTask<int>(work.Task), new JobOptions { Lane = "api" });
        Task<int> second = engine.RunAsync(_ => new ValueTask<int>(work.Task), new JobOptions { Lane = "api" });
        await RunUntilAsync(time, () => engine.GetLaneSnapshot("api").Running == 2, engine);
        Assert.Equal(0, await state.AcquireSlotsAsync("api", 2, ["other/1"], TimeSpan.FromSeconds(1), default));

        await engine.DisposeAsync();

        Assert.Equal(2, await state.AcquireSlotsAsync("api", 2, ["other/1", "other/2"], TimeSpan.FromSeconds(1), default));
        work.SetResult(1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    [Fact]
    public void SharedStateWithAdaptive_IsRefusedByName()
    {
        var engine = new PacerEngine();
        var error = Assert.Throws<ArgumentException>(() => engine.AddLane("api", new LaneOptions
        {
            Rates = [RateLimit.PerSecond(5)],
            Adaptive = new AdaptiveOptions(),
            SharedState = new InProcessLaneState(),
        }));

        Assert.Contains("Lane 'api': SharedState and Adaptive cannot be combined", error.Message);
    }

    private static PacerEngine Engine(TimeProvider time, ILaneState state) =>
        SharedLaneHarness.Engine(time, new LaneOptions { Rates = s_twentyPerSecond.Rates, PeriodMargin = s_twentyPerSecond.PeriodMargin, SharedState = state });

    private static PacerEngine Engine(TimeProvider time, LaneOptions lane) => SharedLaneHarness.Engine(time, lane);
}
