using Pacer.TestSupport;

namespace Pacer.Tests.Sharing;

/// <summary>
/// What every <see cref="ILaneState"/> keeps, run against each: in process, Redis and PostgreSQL.
/// Each test uses lanes of its own, so the stores may be shared between tests.
/// </summary>
public abstract class LaneStateContract
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    /// <summary>The store under test.</summary>
    protected abstract ILaneState State { get; }

    /// <summary>A store of the same kind that has just begun (started, or lost its state).</summary>
    protected abstract Task<ILaneState> FreshAsync();

    /// <summary>
    /// The store, once past its restart guard: a lane with no state counts as spent in a store's
    /// first 1.05 s, and these tests check exact offsets. Waits on a probe lane of its own.
    /// </summary>
    private async Task<ILaneState> ReadyAsync()
    {
        await Eventually.HoldsAsync(async () => (await State.ReserveStartsAsync(NewLane(), [PerSecond(1)], 1, 0, default)).Starts is [0],
            "the store's first 1.05 s to pass", s_deadline);
        return State;
    }

    private static string NewLane() => "lane-" + Guid.NewGuid().ToString("N");

    private static SharedRate PerSecond(long permits, long burst = 1) => new(permits, 1_000_000, burst);

    [Fact]
    public async Task Reserve_FullBucket_GivesTheBurstAtOnceThenOnePerInterval()
    {
        ILaneState state = await ReadyAsync();
        StartGrant grant = await state.ReserveStartsAsync(NewLane(), [PerSecond(10, burst: 3)], 5, 1_000_000, default);

        Assert.Equal([0L, 0L, 0L, 100_000L, 200_000L], grant.Starts);
        Assert.Equal(300_000, grant.NextStart);
    }

    [Fact]
    public async Task Reserve_StopsAtTheHorizon_AndSaysWhenTheNextFits()
    {
        ILaneState state = await ReadyAsync();
        StartGrant grant = await state.ReserveStartsAsync(NewLane(), [PerSecond(10, burst: 3)], 100, 250_000, default);

        Assert.Equal([0L, 0L, 0L, 100_000L, 200_000L], grant.Starts);
        Assert.Equal(300_000, grant.NextStart);
    }

    [Fact]
    public async Task Reserve_KeepsEveryRateAtOnce()
    {
        ILaneState state = await ReadyAsync();
        // 10/s with a burst of 5, and 2/s: the second rate spaces the starts.
        StartGrant grant = await state.ReserveStartsAsync(NewLane(), [PerSecond(10, burst: 5), PerSecond(2)], 3, 10_000_000, default);

        Assert.Equal([0L, 500_000L, 1_000_000L], grant.Starts);
    }

    [Fact]
    public async Task Reserve_ThirdOfASecond_EachStartRoundedUpToTheMicrosecond()
    {
        ILaneState state = await ReadyAsync();
        // 3 per second, burst 1: 333,333⅓ µs apart. As the engine's gate does with its clock's
        // ticks, each start is the first whole microsecond it fits, and the next is spaced from it.
        StartGrant grant = await state.ReserveStartsAsync(NewLane(), [PerSecond(3)], 4, 10_000_000, default);

        Assert.Equal([0L, 333_334L, 666_668L, 1_000_002L], grant.Starts);
    }

    [Fact]
    public async Task Reserve_SecondCaller_GetsTheStartsAfterTheFirst()
    {
        ILaneState state = await ReadyAsync();
        string lane = NewLane();
        StartGrant first = await state.ReserveStartsAsync(lane, [PerSecond(1)], 3, 10_000_000, default);
        StartGrant second = await state.ReserveStartsAsync(lane, [PerSecond(1)], 1, 10_000_000, default);

        Assert.Equal([0L, 1_000_000L, 2_000_000L], first.Starts);
        long start = Assert.Single(second.Starts);
        // The second call came a little later on the store's clock: its start is the fourth second, less that.
        Assert.InRange(start, 3_000_000 - s_deadline.TotalMicroseconds, 3_000_000);
        Assert.True(start > 2_000_000, $"the second caller's start {start} µs overlaps the first's");
    }

    [Fact]
    public async Task Reserve_NothingWithinTheHorizon_GrantsTheNextStartAlone_UpToASecondAhead()
    {
        ILaneState state = await ReadyAsync();
        string lane = NewLane();
        await state.ReserveStartsAsync(lane, [PerSecond(1)], 1, 0, default);

        // The next start is a second away, past the 100 ms horizon: it is granted, and no other.
        StartGrant next = await state.ReserveStartsAsync(lane, [PerSecond(1)], 5, 100_000, default);
        long start = Assert.Single(next.Starts);
        Assert.InRange(start, 1_000_000 - s_deadline.TotalMicroseconds, 1_000_000);
        Assert.Equal(start + 1_000_000, next.NextStart);

        // Whoever asks next is served after it: that start is two seconds away, past the first
        // start's reach of one second, so none is granted and the caller is told when it fits.
        StartGrant after = await state.ReserveStartsAsync(lane, [PerSecond(1)], 1, 100_000, default);
        Assert.Empty(after.Starts);
        Assert.InRange(after.NextStart, 1_000_001, 2_000_000);
    }

    [Fact]
    public async Task Reserve_LanesAreApart()
    {
        ILaneState state = await ReadyAsync();
        string a = NewLane();
        await state.ReserveStartsAsync(a, [PerSecond(1)], 1, 0, default);

        StartGrant b = await state.ReserveStartsAsync(NewLane(), [PerSecond(1)], 1, 0, default);

        Assert.Equal([0L], b.Starts);
    }

    [Fact]
    public async Task Reserve_ManyCallersAtOnce_NeverShareAStart()
    {
        ILaneState state = await ReadyAsync();
        // One start per 10 s: 40 callers at once each get one, 10 s after the one before, less the
        // little time that passed between their calls. Rounded to 10 s from the first they are 0, 1,
        // ..., 39: no start handed out twice, none skipped.
        string lane = NewLane();
        StartGrant[] grants = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            state.ReserveStartsAsync(lane, [new SharedRate(1, 10_000_000, 1)], 1, 1_000_000_000, default).AsTask()));

        // (A store younger than 10 s counts a lane with no state as spent: the first start may come later than 0.)
        long first = grants.Min(g => Assert.Single(g.Starts));
        long[] slots = [.. grants.Select(g => (g.Starts[0] - first + 5_000_000) / 10_000_000).Order()];
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), slots);
    }

    [Fact]
    public async Task Reserve_RightAfterTheStoreBegins_ALaneWithNoStateCountsAsSpent()
    {
        // A restart may have lost the lane's state while processes still hold starts it granted, up
        // to 1 s ahead (and 50 ms of slack): the lane counts as spent to then. At one start per
        // 10 s, the first is 11.05 s after the store began, less what passed since (not 0, as for
        // an idle lane).
        ILaneState fresh = await FreshAsync();

        StartGrant grant = await fresh.ReserveStartsAsync(NewLane(), [new SharedRate(1, 10_000_000, 1)], 1, 0, default);

        Assert.InRange(grant.NextStart, 11_050_000 - s_deadline.TotalMicroseconds, 11_050_000);
    }

    [Fact]
    public async Task Reserve_LongAfterTheStoreBegan_ALaneWithNoStateIsIdle()
    {
        ILaneState state = await ReadyAsync();

        StartGrant grant = await state.ReserveStartsAsync(NewLane(), [PerSecond(10, burst: 2)], 2, 0, default);

        Assert.Equal([0L, 0L], grant.Starts);
    }

    private static SharedRate CostPerSecond(long permits, long burst) => new(permits, 1_000_000, burst, CountsCost: true);

    [Fact]
    public async Task Reserve_CostRate_SpacesStartsByTheirCosts()
    {
        ILaneState state = await ReadyAsync();
        // 100 units a second, burst 100, and 5 requests a second. Costs 60, 60, 30, 10: the first
        // fits the full bucket; the second waits until 20 units have come back (0.2 s); the third
        // until 50 more (0.5 s); the fourth fits by cost at 0.6 s, but the request rate keeps it
        // 0.2 s after the third.
        StartGrant grant = await state.ReserveStartsAsync(NewLane(), new StartRequest([PerSecond(5), CostPerSecond(100, burst: 100)], [60, 60, 30, 10], 10_000_000), default);

        Assert.Equal([0L, 200_000L, 500_000L, 700_000L], grant.Starts);
    }

    [Fact]
    public async Task Reserve_CostAboveTheBurst_StartsOnAFullBucket_AndLeavesItInDebt()
    {
        ILaneState state = await ReadyAsync();
        // 100 units a second, burst 10: a start that costs 50 still starts on the full bucket; the
        // next (1 unit) waits until the debt is back within the burst: 41 units, 0.41 s.
        StartGrant grant = await state.ReserveStartsAsync(NewLane(), new StartRequest([CostPerSecond(100, burst: 10)], [50, 1], 10_000_000), default);

        Assert.Equal([0L, 410_000L], grant.Starts);
    }

    [Fact]
    public async Task Reserve_CostZero_SpendsNoCostRate()
    {
        ILaneState state = await ReadyAsync();
        string lane = NewLane();
        StartGrant free = await state.ReserveStartsAsync(lane, new StartRequest([PerSecond(10, burst: 3), CostPerSecond(1, burst: 1)], [0, 0, 0], 10_000_000), default);
        // The cost rate (one unit a second) is untouched: a start that costs 1 fits at once, by
        // cost; the request rate's burst is spent, so it comes at 0.1 s.
        StartGrant paid = await state.ReserveStartsAsync(lane, new StartRequest([PerSecond(10, burst: 3), CostPerSecond(1, burst: 1)], [1], 10_000_000), default);

        Assert.Equal([0L, 0L, 0L], free.Starts);
        long start = Assert.Single(paid.Starts);
        Assert.InRange(start, 100_000 - s_deadline.TotalMicroseconds, 100_000);
    }

    [Fact]
    public async Task Reserve_Adjustment_ChargesAndGivesBackCostRatesOnly()
    {
        ILaneState state = await ReadyAsync();
        SharedRate[] rates = [PerSecond(1000, burst: 1000), CostPerSecond(100, burst: 1)];
        string charged = NewLane();
        string refunded = NewLane();

        // A start reserved for 10 units that really cost 100: told with no new start (no costs), the
        // lane is 100 units (1 s) in debt, and the next start waits for it.
        await state.ReserveStartsAsync(charged, new StartRequest(rates, [10], 0), default);
        StartGrant none = await state.ReserveStartsAsync(charged, new StartRequest(rates, [], 0) { CostAdjustment = 90 }, default);
        StartGrant next = await state.ReserveStartsAsync(charged, new StartRequest(rates, [1], 10_000_000), default);

        // A start reserved for 100 units that cost 10: the 90 given back with the next request.
        await state.ReserveStartsAsync(refunded, new StartRequest(rates, [100], 0), default);
        StartGrant early = await state.ReserveStartsAsync(refunded, new StartRequest(rates, [1], 10_000_000) { CostAdjustment = -90 }, default);

        // Given back more than was spent: the lane is idle, never better than idle.
        string over = NewLane();
        await state.ReserveStartsAsync(over, new StartRequest(rates, [1], 0), default);
        StartGrant idle = await state.ReserveStartsAsync(over, new StartRequest(rates, [1, 1], 10_000_000) { CostAdjustment = -1_000 }, default);

        Assert.Empty(none.Starts);
        Assert.InRange(Assert.Single(next.Starts), 1_000_000 - s_deadline.TotalMicroseconds, 1_000_000);
        Assert.InRange(Assert.Single(early.Starts), 100_000 - s_deadline.TotalMicroseconds, 100_000);
        Assert.Equal([0L, 10_000L], idle.Starts);
    }

    private const long Hour = 3_600_000_000;

    [Fact]
    public async Task Reserve_Quota_ASpentWindow_SendsTheNextStartToTheNextWindow()
    {
        ILaneState state = await ReadyAsync();
        string lane = NewLane();
        // 3 a window of an hour (on the hour): three starts now, then none until the next hour.
        var request = new StartRequest([PerSecond(1000, burst: 1000)], [1, 1, 1, 1, 1], 10_000_000) { Quota = new SharedQuota(3, Hour, 0, false) };

        StartGrant first = await state.ReserveStartsAsync(lane, request, default);
        StartGrant again = await state.ReserveStartsAsync(lane, request, default);

        Assert.Equal([0L, 0L, 0L], first.Starts);
        Assert.InRange(first.NextStart, 1, Hour);
        Assert.Empty(again.Starts);
        Assert.InRange(again.NextStart, 1, Hour);
    }

    [Fact]
    public async Task Reserve_Quota_CountingCost_AndAStartLargerThanTheQuota_TakesAFreshWindow()
    {
        ILaneState state = await ReadyAsync();
        SharedQuota quota = new(100, Hour, 0, CountsCost: true);

        // 60 and 30 fit in 100; 20 more would not.
        StartGrant costs = await state.ReserveStartsAsync(NewLane(), new StartRequest([], [60, 30, 20], 10_000_000) { Quota = quota }, default);
        // 500 is more than the whole quota: it starts on a window nothing has used, then the window is spent.
        string big = NewLane();
        StartGrant large = await state.ReserveStartsAsync(big, new StartRequest([], [500], 10_000_000) { Quota = quota }, default);
        StartGrant after = await state.ReserveStartsAsync(big, new StartRequest([], [1], 10_000_000) { Quota = quota }, default);

        Assert.Equal([0L, 0L], costs.Starts);
        Assert.Equal([0L], large.Starts);
        Assert.Empty(after.Starts);
    }

    [Fact]
    public async Task Reserve_Quota_WindowsFollowTheStoresClock_AndTheNextWindowIsReservedAhead()
    {
        ILaneState state = await ReadyAsync();
        // 2 a second, on the second: two starts now, two at the next second (within the 2 s horizon), and
        // the next is the second after.
        var request = new StartRequest([PerSecond(1000, burst: 1000)], [1, 1, 1, 1, 1], 2_000_000) { Quota = new SharedQuota(2, 1_000_000, 0, false) };

        StartGrant grant = await state.ReserveStartsAsync(NewLane(), request, default);

        Assert.Equal(4, grant.Starts.Count);
        Assert.Equal([0L, 0L], grant.Starts.Take(2));
        Assert.Equal(grant.Starts[2], grant.Starts[3]);
        Assert.InRange(grant.Starts[2], 1, 1_000_000);
        Assert.Equal(grant.Starts[2] + 1_000_000, grant.NextStart);
    }

    [Fact]
    public async Task Slots_AtMostTheLimitHeldByAll()
    {
        ILaneState state = await ReadyAsync();
        string lane = NewLane();
        TimeSpan ttl = TimeSpan.FromMinutes(1);

        Assert.Equal(2, await state.AcquireSlotsAsync(lane, 2, ["p1/1", "p1/2", "p1/3"], ttl, default));
        Assert.Equal(0, await state.AcquireSlotsAsync(lane, 2, ["p2/1"], ttl, default));
        await state.ReleaseSlotsAsync(lane, ["p1/1"], default);
        Assert.Equal(1, await state.AcquireSlotsAsync(lane, 2, ["p2/1", "p2/2"], ttl, default));

        // Taking a lease again that is held renews it and takes no more room.
        Assert.Equal(1, await state.AcquireSlotsAsync(lane, 2, ["p2/1"], ttl, default));
        Assert.Equal(1, await state.RenewSlotsAsync(lane, ["p1/2", "p9/9"], ttl, default));
    }

    [Fact]
    public async Task Slots_OfAProcessThatStoppedRenewing_ComeBackAfterTheirTimeToLive()
    {
        ILaneState state = await ReadyAsync();
        string lane = NewLane();
        Assert.Equal(1, await state.AcquireSlotsAsync(lane, 1, ["dead/1"], TimeSpan.FromMilliseconds(200), default));
        Assert.Equal(0, await state.AcquireSlotsAsync(lane, 1, ["alive/1"], TimeSpan.FromMinutes(1), default));

        await Eventually.HoldsAsync(async () => await state.AcquireSlotsAsync(lane, 1, ["alive/1"], TimeSpan.FromMinutes(1), default) == 1,
            "the dead process's lease to run out", s_deadline);
        Assert.Equal(0, await state.RenewSlotsAsync(lane, ["dead/1"], TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Arguments_AreCheckedByName()
    {
        ILaneState state = await ReadyAsync();
        string lane = NewLane();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("count", async () => await state.ReserveStartsAsync(lane, [PerSecond(1)], 0, 0, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("request", async () => await state.ReserveStartsAsync(lane, [new SharedRate(0, 1, 1)], 1, 0, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("request", async () => await state.ReserveStartsAsync(lane, new StartRequest([CostPerSecond(1, 1)], [-1], 0), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("request", async () => await state.ReserveStartsAsync(lane, new StartRequest([CostPerSecond(1, 1)], [1L << 40], 0), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("request", async () => await state.ReserveStartsAsync(lane, new StartRequest([CostPerSecond(1, 1)], [], 0) { CostAdjustment = 1L << 40 }, default));
        await Assert.ThrowsAsync<ArgumentNullException>("request", async () => await state.ReserveStartsAsync(lane, new StartRequest([CostPerSecond(1, 1)], null!, 0), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("request", async () => await state.ReserveStartsAsync(lane, new StartRequest([], [1], 0) { Quota = new SharedQuota(0, Hour, 0, false) }, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("request", async () => await state.ReserveStartsAsync(lane, new StartRequest([], [1], 0) { Quota = new SharedQuota(5, Hour, Hour, false) }, default));
        await Assert.ThrowsAsync<ArgumentException>("lane", async () => await state.ReserveStartsAsync("", [PerSecond(1)], 1, 0, default));
        await Assert.ThrowsAsync<ArgumentException>("leases", async () => await state.AcquireSlotsAsync(lane, 1, [new string('x', 201)], TimeSpan.FromSeconds(1), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("ttl", async () => await state.RenewSlotsAsync(lane, ["a"], TimeSpan.Zero, default));
    }
}
