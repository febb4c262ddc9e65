namespace Pacer.Simulator.Tests.Limits;

public class FixedWindowCounterTests
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(60);

    /// <summary>The clock started 20 s into a Unix minute, so windows end at clock times 40 s, 100 s, …</summary>
    private static readonly TimeSpan s_sinceEpoch = TimeSpan.FromMinutes(29_000_000) + TimeSpan.FromSeconds(20);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static FixedWindowCounter CreateSut() => new(s_window, s_sinceEpoch);

    [Fact]
    public void EverythingSpentIsForgottenWhenTheWindowEndsOnTheUnixMinute()
    {
        var counter = CreateSut();
        counter.Add(5, S(10));
        counter.Add(3, S(39));

        Assert.Equal(8, counter.Used(S(40) - TimeSpan.FromTicks(1)));
        Assert.Equal(0, counter.Used(S(40)));
    }

    [Fact]
    public void WaitFor_IsZeroWhenTheCostFits_ElseUntilTheWindowEnds()
    {
        var counter = CreateSut();
        counter.Add(60, S(41));

        Assert.Equal(TimeSpan.Zero, counter.WaitFor(100, 40, S(50)));
        Assert.Equal(S(50), counter.WaitFor(100, 41, S(50)));
    }

    [Fact]
    public void WaitFor_IsNullWhenTheCostAloneIsOverTheLimit() =>
        Assert.Null(CreateSut().WaitFor(100, 101, S(0)));

    [Fact]
    public void UntilEmpty_IsTheTimeUntilTheWindowEnds_OrZeroWhenNothingWasSpent()
    {
        var counter = CreateSut();
        Assert.Equal(TimeSpan.Zero, counter.UntilEmpty(S(1)));

        counter.Add(1, S(45));

        Assert.Equal(S(55), counter.UntilEmpty(S(45)));
        Assert.Equal(TimeSpan.Zero, counter.UntilEmpty(S(100)));
    }

    [Fact]
    public void TwoWindowsWorthMayArriveAcrossABoundary()
    {
        var counter = CreateSut();
        Assert.Equal(TimeSpan.Zero, counter.WaitFor(10, 10, S(39)));
        counter.Add(10, S(39));

        Assert.Equal(TimeSpan.Zero, counter.WaitFor(10, 10, S(40)));
    }

    [Fact]
    public void Clear_ForgetsTheCurrentWindow()
    {
        var counter = CreateSut();
        counter.Add(10, S(50));
        counter.Clear();

        Assert.Equal(0, counter.Used(S(50)));
    }
}
