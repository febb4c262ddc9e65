namespace Pacer.Tests.Lanes;

/// <summary>The GCRA arithmetic of one rate, in timestamp ticks of 100 ns.</summary>
public class RateGateTests
{
    private const long Frequency = TimeSpan.TicksPerSecond;
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private static RateGate Gate(RateLimit limit) => new(limit, Frequency, now: 0);

    [Fact]
    public void NewGate_IsFull_AllowsTheBurstAtOnce()
    {
        RateGate gate = Gate(RateLimit.PerSecond(10, burst: 3));

        for (int i = 0; i < 3; i++)
        {
            Assert.True(gate.CanSpend(0, 1));
            gate.Spend(0, 1);
        }

        Assert.False(gate.CanSpend(0, 1));
        Assert.Equal(100 * Ms, gate.NextAllowed(0, 1));
    }

    [Theory]
    [InlineData(3, 3_333_334)] // 3 per second: a third of a second, rounded up to the next tick
    [InlineData(7, 1_428_572)]
    [InlineData(500, 20_000)]
    public void NextAllowed_IsTheFirstTickTheRateAllows(long perSecond, long expected)
    {
        RateGate gate = Gate(RateLimit.PerSecond(perSecond));
        gate.Spend(0, 1);

        Assert.Equal(expected, gate.NextAllowed(0, 1));
        Assert.False(gate.CanSpend(expected - 1, 1));
        Assert.True(gate.CanSpend(expected, 1));
    }

    [Fact]
    public void CostAboveTheBurst_IsAllowedOnAFullBucketOnly_AndLeavesItInDebt()
    {
        RateGate gate = Gate(RateLimit.PerSecond(100, burst: 10));

        Assert.True(gate.CanSpend(0, 50));
        gate.Spend(0, 50);

        Assert.False(gate.CanSpend(0, 1));
        Assert.Equal(410 * Ms, gate.NextAllowed(0, 1)); // 50 units of debt, less the burst of 10, plus the unit itself
        Assert.Equal(500 * Ms, gate.NextAllowed(0, 50)); // a big spend waits for a full bucket
    }

    [Fact]
    public void Refund_NeverFillsTheBucketBeyondFull()
    {
        RateGate gate = Gate(RateLimit.PerSecond(10, burst: 5));
        gate.Spend(0, 1);

        gate.Adjust(0, -100);

        Assert.Equal(5, gate.Available(0));
        for (int i = 0; i < 5; i++)
        {
            gate.Spend(0, 1);
        }

        Assert.False(gate.CanSpend(0, 1));
    }

    [Fact]
    public void Surcharge_PutsTheBucketInDebt()
    {
        RateGate gate = Gate(RateLimit.PerSecond(10, burst: 5));
        gate.Spend(0, 1);

        gate.Adjust(0, 9);

        Assert.Equal(600 * Ms, gate.NextAllowed(0, 1));
    }

    [Fact]
    public void Reconfigure_CarriesTheDebtIntoTheNewRate()
    {
        RateGate gate = Gate(RateLimit.PerSecond(10, burst: 10));
        gate.Spend(0, 10);

        gate.Reconfigure(RateLimit.PerSecond(100, burst: 10), Frequency, now: 0);

        Assert.Equal(0, gate.Available(0));
        Assert.Equal(10 * Ms, gate.NextAllowed(0, 1));
    }

    [Fact]
    public void Reconfigure_ToALowerRate_SpacesTheNextStartFromTheLastByTheNewInterval()
    {
        // Its debt at 100 a second is paid by 25 ms, yet a strict service still counts the start
        // at 0 when it judges the lowered rate: the next goes 50 ms after it, not at once.
        RateGate gate = Gate(RateLimit.PerSecond(100));
        gate.Spend(0, 1);

        gate.Reconfigure(RateLimit.PerSecond(20), Frequency, now: 25 * Ms);

        Assert.Equal(50 * Ms, gate.NextAllowed(25 * Ms, 1));
    }

    [Fact]
    public void Reconfigure_AfterTheDebtIsPaid_GivesTheNewBurst()
    {
        RateGate gate = Gate(RateLimit.PerSecond(10, burst: 2));
        gate.Spend(0, 2);

        gate.Reconfigure(RateLimit.PerSecond(10, burst: 8), Frequency, now: 1_000 * Ms);

        Assert.Equal(8, gate.Available(1_000 * Ms));
    }

    [Fact]
    public void Available_RoundsPartialUnitsDown()
    {
        RateGate gate = Gate(RateLimit.PerSecond(10, burst: 4));
        gate.Spend(0, 4);

        Assert.Equal(0, gate.Available(99 * Ms));
        Assert.Equal(1, gate.Available(100 * Ms));
        Assert.Equal(2, gate.Available(250 * Ms));
        Assert.Equal(4, gate.Available(10_000 * Ms));
    }
}
