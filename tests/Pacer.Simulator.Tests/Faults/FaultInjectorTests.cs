namespace Pacer.Simulator.Tests.Faults;

public class FaultInjectorTests
{
    [Fact]
    public void NoRatios_NeverFault()
    {
        var faults = new FaultInjector(new FaultOptions(), new SeededRandom(1));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(FaultKind.None, faults.Draw()));
    }

    [Fact]
    public void Ratios_GiveTheirShares()
    {
        var faults = new FaultInjector(
            new FaultOptions { ServerErrorRatio = 0.1, UnavailableRatio = 0.2, DropRatio = 0.3, SlowRatio = 0.1 },
            new SeededRandom(7));

        var counts = Enumerable.Range(0, 20_000).Select(_ => faults.Draw()).CountBy(k => k).ToDictionary();

        Assert.InRange(counts[FaultKind.ServerError], 1_800, 2_200);
        Assert.InRange(counts[FaultKind.Unavailable], 3_700, 4_300);
        Assert.InRange(counts[FaultKind.Drop], 5_600, 6_400);
        Assert.InRange(counts[FaultKind.Slow], 1_800, 2_200);
        Assert.InRange(counts[FaultKind.None], 5_600, 6_400);
    }

    [Fact]
    public void FullRatio_AlwaysFaults()
    {
        var faults = new FaultInjector(new FaultOptions { DropRatio = 1 }, new SeededRandom(1));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(FaultKind.Drop, faults.Draw()));
    }
}
