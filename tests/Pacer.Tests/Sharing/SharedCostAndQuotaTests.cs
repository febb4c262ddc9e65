using Microsoft.Extensions.Time.Testing;
using static Pacer.Tests.Sharing.SharedLaneHarness;

namespace Pacer.Tests.Sharing;

/// <summary>
/// Engines whose lane keeps its cost rates and its quota in one <see cref="ILaneState"/> keep them
/// together, on fake time (<see cref="SharedLaneHarness"/>): each start reserved for its job's cost,
/// costs given back and reported, jobs that come ahead of the starts held, quota windows.
/// </summary>
public class SharedCostAndQuotaTests
{
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
}
