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

    private static string NewLane() => "lane-" + Guid.NewGuid().ToString("N");

    private static SharedRate PerSecond(long permits, long burst = 1) => new(permits, 1_000_000, burst);

    [Fact]
    public async Task Reserve_FullBucket_GivesTheBurstAtOnceThenOnePerInterval()
    {
        StartGrant grant = await State.ReserveStartsAsync(NewLane(), [PerSecond(10, burst: 3)], 5, 1_000_000, default);

        Assert.Equal([0L, 0L, 0L, 100_000L, 200_000L], grant.Starts);
        Assert.Equal(300_000, grant.NextStart);
    }

    [Fact]
    public async Task Reserve_StopsAtTheHorizon_AndSaysWhenTheNextFits()
    {
        StartGrant grant = await State.ReserveStartsAsync(NewLane(), [PerSecond(10, burst: 3)], 100, 250_000, default);

        Assert.Equal([0L, 0L, 0L, 100_000L, 200_000L], grant.Starts);
        Assert.Equal(300_000, grant.NextStart);
    }

    [Fact]
    public async Task Reserve_KeepsEveryRateAtOnce()
    {
        // 10/s with a burst of 5, and 2/s: the second rate spaces the starts.
        StartGrant grant = await State.ReserveStartsAsync(NewLane(), [PerSecond(10, burst: 5), PerSecond(2)], 3, 10_000_000, default);

        Assert.Equal([0L, 500_000L, 1_000_000L], grant.Starts);
    }

    [Fact]
    public async Task Reserve_ThirdOfASecond_EachStartRoundedUpToTheMicrosecond()
    {
        // 3 per second, burst 1: 333,333⅓ µs apart. As the engine's gate does with its clock's
        // ticks, each start is the first whole microsecond it fits, and the next is spaced from it.
        StartGrant grant = await State.ReserveStartsAsync(NewLane(), [PerSecond(3)], 4, 10_000_000, default);

        Assert.Equal([0L, 333_334L, 666_668L, 1_000_002L], grant.Starts);
    }

    [Fact]
    public async Task Reserve_SecondCaller_GetsTheStartsAfterTheFirst()
    {
        string lane = NewLane();
        StartGrant first = await State.ReserveStartsAsync(lane, [PerSecond(1)], 3, 10_000_000, default);
        StartGrant second = await State.ReserveStartsAsync(lane, [PerSecond(1)], 1, 10_000_000, default);

        Assert.Equal([0L, 1_000_000L, 2_000_000L], first.Starts);
        long start = Assert.Single(second.Starts);
        // The second call came a little later on the store's clock: its start is the fourth second, less that.
        Assert.InRange(start, 3_000_000 - s_deadline.TotalMicroseconds, 3_000_000);
        Assert.True(start > 2_000_000, $"the second caller's start {start} µs overlaps the first's");
    }

    [Fact]
    public async Task Reserve_NothingWithinTheHorizon_ReservesNothing()
    {
        string lane = NewLane();
        await State.ReserveStartsAsync(lane, [PerSecond(1)], 1, 0, default);
        StartGrant spent = await State.ReserveStartsAsync(lane, [PerSecond(1)], 5, 100_000, default);

        Assert.Empty(spent.Starts);
        Assert.InRange(spent.NextStart, 100_001, 1_000_000);

        // Nothing was spent by asking: the next start is still the one the first call left.
        StartGrant later = await State.ReserveStartsAsync(lane, [PerSecond(1)], 1, 10_000_000, default);
        Assert.InRange(Assert.Single(later.Starts), 1, spent.NextStart);
    }

    [Fact]
    public async Task Reserve_LanesAreApart()
    {
        string a = NewLane();
        await State.ReserveStartsAsync(a, [PerSecond(1)], 1, 0, default);

        StartGrant b = await State.ReserveStartsAsync(NewLane(), [PerSecond(1)], 1, 0, default);

        Assert.Equal([0L], b.Starts);
    }

    [Fact]
    public async Task Reserve_ManyCallersAtOnce_NeverShareAStart()
    {
        // One start per 10 s: 40 callers at once each get one, 10 s after the one before, less the
        // little time that passed between their calls. Rounded to 10 s they are 0, 1, ..., 39: no
        // start handed out twice, none skipped.
        string lane = NewLane();
        StartGrant[] grants = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            State.ReserveStartsAsync(lane, [new SharedRate(1, 10_000_000, 1)], 1, 1_000_000_000, default).AsTask()));

        long[] slots = [.. grants.Select(g => (Assert.Single(g.Starts) + 5_000_000) / 10_000_000).Order()];
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), slots);
    }

    [Fact]
    public async Task Slots_AtMostTheLimitHeldByAll()
    {
        string lane = NewLane();
        TimeSpan ttl = TimeSpan.FromMinutes(1);

        Assert.Equal(2, await State.AcquireSlotsAsync(lane, 2, ["p1/1", "p1/2", "p1/3"], ttl, default));
        Assert.Equal(0, await State.AcquireSlotsAsync(lane, 2, ["p2/1"], ttl, default));
        await State.ReleaseSlotsAsync(lane, ["p1/1"], default);
        Assert.Equal(1, await State.AcquireSlotsAsync(lane, 2, ["p2/1", "p2/2"], ttl, default));

        // Taking a lease again that is held renews it and takes no more room.
        Assert.Equal(1, await State.AcquireSlotsAsync(lane, 2, ["p2/1"], ttl, default));
        Assert.Equal(1, await State.RenewSlotsAsync(lane, ["p1/2", "p9/9"], ttl, default));
    }

    [Fact]
    public async Task Slots_OfAProcessThatStoppedRenewing_ComeBackAfterTheirTimeToLive()
    {
        string lane = NewLane();
        Assert.Equal(1, await State.AcquireSlotsAsync(lane, 1, ["dead/1"], TimeSpan.FromMilliseconds(200), default));
        Assert.Equal(0, await State.AcquireSlotsAsync(lane, 1, ["alive/1"], TimeSpan.FromMinutes(1), default));

        await Eventually.HoldsAsync(async () => await State.AcquireSlotsAsync(lane, 1, ["alive/1"], TimeSpan.FromMinutes(1), default) == 1,
            "the dead process's lease to run out", s_deadline);
        Assert.Equal(0, await State.RenewSlotsAsync(lane, ["dead/1"], TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Arguments_AreCheckedByName()
    {
        string lane = NewLane();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("count", async () => await State.ReserveStartsAsync(lane, [PerSecond(1)], 0, 0, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("rates", async () => await State.ReserveStartsAsync(lane, [new SharedRate(0, 1, 1)], 1, 0, default));
        await Assert.ThrowsAsync<ArgumentException>("lane", async () => await State.ReserveStartsAsync("", [PerSecond(1)], 1, 0, default));
        await Assert.ThrowsAsync<ArgumentException>("leases", async () => await State.AcquireSlotsAsync(lane, 1, [new string('x', 201)], TimeSpan.FromSeconds(1), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("ttl", async () => await State.RenewSlotsAsync(lane, ["a"], TimeSpan.Zero, default));
    }
}
