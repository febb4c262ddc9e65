using Microsoft.Extensions.Time.Testing;
using System.Runtime.CompilerServices;

namespace Pacer.Tests.Sharing;

/// <summary>
/// Engines whose lane keeps its rate in one <see cref="ILaneState"/> keep one limit together, on
/// fake time: the engines and the store read one clock, and time moves a millisecond at a time,
/// the engines' refills run between its steps.
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

    private static LaneOptions CostLane(ILaneState state, long perSecond, long burst) => new()
    {
        CostRates = [RateLimit.PerSecond(perSecond, burst)],
        PeriodMargin = TimeSpan.Zero,
        SharedState = state,
    };

    /// <summary>The most cost started in any one-second window, from the log's names ("name:cost").</summary>
    private static long MostCostInASecond(StartLog log)
    {
        (TimeSpan At, long Cost)[] starts = [.. log.Times.Zip(log.Names, (t, n) => (t, long.Parse(n[(n.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)))];
        return starts.Max(s => starts.Where(o => o.At >= s.At && o.At < s.At + TimeSpan.FromSeconds(1)).Sum(o => o.Cost));
    }

    [Fact]
    public async Task TwoEngines_OneCostRate_NeverExceededInAnyWindow_AndReachedTogether()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var log = new StartLog(time);
        LaneOptions lane = CostLane(state, perSecond: 1000, burst: 500);
        await using var a = Engine(time, lane);
        await using var b = Engine(time, lane);
        long[] costs = [100, 250, 50, 400];
        List<Task<int>> jobs = [];
        for (int i = 0; i < 20; i++)
        {
            long cost = costs[i % costs.Length];
            jobs.Add(a.RunAsync(log.Instant($"a{i}:{cost}"), new JobOptions { Lane = "api", Cost = cost }));
            jobs.Add(b.RunAsync(log.Instant($"b{i}:{cost}"), new JobOptions { Lane = "api", Cost = cost }));
        }

        await RunUntilAsync(time, () => jobs.All(j => j.IsCompleted), a, b);

        Assert.Equal(40, log.Count);
        // 1,000 units a second and a burst of 500: at most 1,500 in any second.
        Assert.InRange(MostCostInASecond(log), 1, 1500);
        // 8,000 units in all, 500 of them at once: the last start is due at (8,000 − 500 − its own cost) ÷ 1,000 s or later.
        Assert.InRange(log.Times.Max(), TimeSpan.FromSeconds(7.1), TimeSpan.FromSeconds(7.5));
        Assert.Contains(log.Names, n => n.StartsWith('a'));
        Assert.Contains(log.Names, n => n.StartsWith('b'));
    }

    [Theory]
    [InlineData(100, 10, 0.1)]   // reserved 100, cost 10: 90 given back, the next start is 0.1 s after
    [InlineData(10, 100, 1.0)]   // reserved 10, cost 100: 90 more charged, the next start is 1 s after
    public async Task ReportedCost_IsToldToTheStore(long estimate, long actual, double nextAfterSeconds)
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var log = new StartLog(time);
        await using var engine = Engine(time, CostLane(state, perSecond: 100, burst: 1));
        Task<int> first = engine.RunAsync(context =>
        {
            log.Record("first:" + actual);
            context.ReportCost(actual);
            return ValueTask.FromResult(0);
        }, new JobOptions { Lane = "api", Cost = estimate });
        await RunUntilAsync(time, () => first.IsCompleted, engine);

        // Another process's job: it sees what the first really cost.
        await using var other = Engine(time, CostLane(state, perSecond: 100, burst: 1));
        Task<int> next = other.RunAsync(log.Instant("next:10"), new JobOptions { Lane = "api", Cost = 10 });
        await RunUntilAsync(time, () => next.IsCompleted, engine, other);

        TimeSpan gap = log.TimeOf("next:10") - log.TimeOf("first:" + actual);
        Assert.InRange(gap, TimeSpan.FromSeconds(nextAfterSeconds), TimeSpan.FromSeconds(nextAfterSeconds) + TimeSpan.FromMilliseconds(2));
    }

    [Fact]
    public async Task AJobThatCameAheadOfTheReservedStarts_CostingMore_StartsOnItsOwnCost_AndTheLimitHolds()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var log = new StartLog(time);
        await using var engine = Engine(time, CostLane(state, perSecond: 1000, burst: 1000));
        Task<int>[] small = [.. Enumerable.Range(0, 30).Select(i => engine.RunAsync(log.Instant($"small{i}:100"), new JobOptions { Lane = "api", Cost = 100 }))];
        await RunUntilAsync(time, () => log.Count >= 12, engine);

        // Starts are held for the next small jobs (100 each); a job of 900 comes ahead of them.
        Task<int> big = engine.RunAsync(log.Instant("big:900"), new JobOptions { Lane = "api", Cost = 900, Priority = 10 });
        await RunUntilAsync(time, () => big.IsCompleted && small.All(j => j.IsCompleted), engine);

        Assert.Equal(31, log.Count);
        int bigAt = log.Names.ToList().IndexOf("big:900");
        Assert.InRange(bigAt, 12, 16); // after the few whose starts were already due, ahead of the rest
        // 1,000 units a second and a burst of 1,000: at most 2,000 in any second.
        Assert.InRange(MostCostInASecond(log), 1, 2000);
        // The starts held for small jobs were given up, their cost given back.
        Assert.True(engine.GetLaneSnapshot("api").SharedStartsExpired > 0);
        // 3,900 units, 1,000 at once: the last start at 2.9 s, give or take the start given up.
        Assert.InRange(log.Times.Max(), TimeSpan.FromSeconds(2.8), TimeSpan.FromSeconds(3.0));
    }

    [Fact]
    public async Task ACheaperJobAhead_UsesAStartHeldForMore_AndGivesTheRestBack()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var log = new StartLog(time);
        // 100 units a second, burst 1: each start waits until the one before is paid for.
        await using var engine = Engine(time, CostLane(state, perSecond: 100, burst: 1));
        Task<int>[] small = [.. Enumerable.Range(0, 3).Select(i => engine.RunAsync(log.Instant($"small{i}:100"), new JobOptions { Lane = "api", Cost = 100 }))];
        await RunUntilAsync(time, () => time.GetUtcNow() - log.Origin >= TimeSpan.FromSeconds(0.5), engine);

        // small1's start (1 s, 100 units) is held; a job of 10 comes ahead of it and takes it.
        Task<int> cheap = engine.RunAsync(log.Instant("cheap:10"), new JobOptions { Lane = "api", Cost = 10, Priority = 10 });
        await RunUntilAsync(time, () => cheap.IsCompleted && small.All(j => j.IsCompleted), engine);

        Assert.Equal(["small0:100", "cheap:10", "small1:100", "small2:100"], log.Names);
        Assert.Equal(TimeSpan.FromSeconds(1), log.TimeOf("cheap:10"));
        // The 90 units it did not need went back: small1 starts 0.1 s after it, not 1 s.
        Assert.InRange(log.TimeOf("small1:100"), TimeSpan.FromSeconds(1.1), TimeSpan.FromSeconds(1.102));
        Assert.InRange(MostCostInASecond(log), 1, 200);
    }

    [Fact]
    public async Task TwoEngines_OneQuota_NoWindowHoldsMore_AndEachWindowIsUsed()
    {
        var time = new FakeTimeProvider();
        var state = NewState(time);
        var log = new StartLog(time);
        // 10 starts every 2 s, the windows on the store's clock (every 2 s since the epoch).
        var lane = new LaneOptions
        {
            Rates = [RateLimit.PerSecond(100, burst: 100)],
            PeriodMargin = TimeSpan.Zero,
            Quota = new QuotaOptions { Limit = 10, RefillEvery = TimeSpan.FromSeconds(2) },
            SharedState = state,
        };
        await using var a = Engine(time, lane);
        await using var b = Engine(time, lane);
        List<Task<int>> jobs = [];
        for (int i = 0; i < 15; i++)
        {
            jobs.Add(a.RunAsync(log.Instant("a" + i), new JobOptions { Lane = "api" }));
            jobs.Add(b.RunAsync(log.Instant("b" + i), new JobOptions { Lane = "api" }));
        }

        await RunUntilAsync(time, () => jobs.All(j => j.IsCompleted), a, b);

        long[] windows = [.. log.Times.Select(t => (log.Origin + t).ToUnixTimeMilliseconds() / 2000)];
        long first = windows.Min();
        // 30 starts, 10 a window: the window the run began in, and the next two, each in full.
        Assert.Equal([10, 10, 10], windows.GroupBy(w => w).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal([first, first + 1, first + 2], windows.Distinct().Order());
        Assert.Contains(log.Names, n => n.StartsWith('a'));
        Assert.Contains(log.Names, n => n.StartsWith('b'));
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


    /// <summary>
    /// Moves time a millisecond at a time until <paramref name="done"/>. The engines' refills run on
    /// this thread, each before time moves on, so nothing races the fake clock.
    /// </summary>
    private static Task RunUntilAsync(FakeTimeProvider time, Func<bool> done, params PacerEngine[] engines)
    {
        InlineContinuations.Enable(); // a refill waiting on the clock goes on inside Advance, on this thread
        for (int step = 0; step < 20_000; step++)
        {
            RunRefills(engines);
            if (done())
            {
                return Task.CompletedTask;
            }

            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Fail("not done within 20 s of fake time: " + string.Join("; ", engines.Select(e => e.GetLaneSnapshot("api")).Select(l => $"{l.Queued} queued, {l.Running} running, {l.SharedStateProblem}")));
        return Task.CompletedTask;
    }

    /// <summary>The lane changes <paramref name="engine"/> raises from now on, in order; lock the list to read it.</summary>
    private static List<LaneChange> RecordChanges(PacerEngine engine)
    {
        var changes = new List<LaneChange>();
        engine.LaneChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e.Change);
            }
        };
        return changes;
    }

    private static readonly ConditionalWeakTable<PacerEngine, Queue<Action>> s_refills = [];

    /// <summary>A store past its first 1.05 s (and a start's interval), when a lane with no state still counts as spent.</summary>
    private static InProcessLaneState NewState(FakeTimeProvider time)
    {
        var state = new InProcessLaneState(time);
        time.Advance(TimeSpan.FromSeconds(1.2));
        return state;
    }

    private static PacerEngine Engine(TimeProvider time, ILaneState state) =>
        Engine(time, new LaneOptions { Rates = s_twentyPerSecond.Rates, PeriodMargin = s_twentyPerSecond.PeriodMargin, SharedState = state });

    private static PacerEngine Engine(TimeProvider time, LaneOptions lane)
    {
        var engine = new PacerEngine(new PacerOptions { TimeProvider = time });
        Queue<Action> refills = s_refills.GetOrCreateValue(engine);
        engine.RefillScheduler = refill =>
        {
            lock (refills)
            {
                refills.Enqueue(refill);
            }
        };
        engine.AddLane("api", lane);
        return engine;
    }

    private static void RunRefills(PacerEngine[] engines)
    {
        bool ran = true;
        while (ran)
        {
            ran = false;
            foreach (PacerEngine engine in engines)
            {
                Queue<Action> refills = s_refills.GetOrCreateValue(engine);
                Action? refill;
                lock (refills)
                {
                    refills.TryDequeue(out refill);
                }

                if (refill is not null)
                {
                    refill();
                    ran = true;
                }
            }
        }
    }

    /// <summary>A lane state that fails every call while <see cref="Down"/>, as a store that cannot be reached.</summary>
    private sealed class FlakyLaneState(ILaneState inner) : ILaneState
    {
        public volatile bool Down;

        public ValueTask<StartGrant> ReserveStartsAsync(string lane, StartRequest request, CancellationToken cancellationToken) =>
            Down ? throw new IOException("the store is down") : inner.ReserveStartsAsync(lane, request, cancellationToken);

        public ValueTask<int> AcquireSlotsAsync(string lane, int maxConcurrency, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken) =>
            Down ? throw new IOException("the store is down") : inner.AcquireSlotsAsync(lane, maxConcurrency, leases, ttl, cancellationToken);

        public ValueTask<int> RenewSlotsAsync(string lane, IReadOnlyList<string> leases, TimeSpan ttl, CancellationToken cancellationToken) =>
            Down ? throw new IOException("the store is down") : inner.RenewSlotsAsync(lane, leases, ttl, cancellationToken);

        public ValueTask ReleaseSlotsAsync(string lane, IReadOnlyList<string> leases, CancellationToken cancellationToken) =>
            Down ? throw new IOException("the store is down") : inner.ReleaseSlotsAsync(lane, leases, cancellationToken);
    }
}
