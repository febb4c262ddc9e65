namespace Pacer.Tests.Sharing;

/// <summary>
/// The stores' arithmetic (<see cref="SharedStartMath"/>, which the Lua script and the SQL
/// function follow line for line) grants the same starts as the engine's own gates
/// (<see cref="RateGate"/>) would, request rates and cost rates alike.
/// </summary>
public class SharedStartMathTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Reserve_GrantsTheStartsTheEngineGatesWould(int seed)
    {
        var random = new Random(seed);
        RateLimit request = new(random.Next(1, 50), TimeSpan.FromMilliseconds(random.Next(100, 2_000)), random.Next(1, 5));
        RateLimit cost = new(random.Next(100, 5_000), TimeSpan.FromMilliseconds(random.Next(500, 60_000)), random.Next(1, 2_000));
        long[] costs = [.. Enumerable.Range(0, 200).Select(_ => (long)(random.Next(4) == 0 ? 0 : random.Next(1, 3_000)))];

        // The engine's gates, on a clock of microseconds.
        var requestGate = new RateGate(request, 1_000_000, 0);
        var costGate = new RateGate(cost, 1_000_000, 0);
        var expected = new List<long>();
        long at = 0;
        foreach (long c in costs)
        {
            while (!requestGate.CanSpend(at, 1) || (c > 0 && !costGate.CanSpend(at, c)))
            {
                at = Math.Max(requestGate.NextAllowed(at, 1), c > 0 ? costGate.NextAllowed(at, c) : at);
            }

            requestGate.Spend(at, 1);
            if (c > 0)
            {
                costGate.Spend(at, c);
            }

            expected.Add(at);
        }

        SharedRate[] rates = [SharedRate.Of(request, TimeSpan.Zero), SharedRate.Of(cost, TimeSpan.Zero) with { CountsCost = true }];
        StartGrant grant = SharedStartMath.Reserve(new long[2], rates, costs, long.MaxValue / 4, null, [0, 0], 0);

        Assert.Equal(expected, grant.Starts);
    }

    [Fact]
    public void Adjust_MovesCostRatesOnly_AndNeverBelowIdle()
    {
        SharedRate[] rates = [new(10, 1_000_000, 1), new(100, 1_000_000, 100, CountsCost: true)];
        long[] debts = [5_000_000, 20_000_000];

        SharedStartMath.Adjust(debts, rates, null, [0, 0], 30);
        Assert.Equal([5_000_000L, 50_000_000L], debts);

        SharedStartMath.Adjust(debts, rates, null, [0, 0], -1_000);
        Assert.Equal([5_000_000L, 0L], debts);
    }
}
