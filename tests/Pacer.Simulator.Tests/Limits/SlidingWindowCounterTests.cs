namespace Pacer.Simulator.Tests.Limits;

public class SlidingWindowCounterTests
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(60);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void EntryCountsUntilExactlyOneWindowLater()
    {
        var counter = new SlidingWindowCounter(s_window);
        counter.Add(5, S(10));

        Assert.Equal(5, counter.Used(S(70) - TimeSpan.FromTicks(1)));
        Assert.Equal(0, counter.Used(S(70)));
    }

    [Fact]
    public void WaitFor_IsZeroWhenTheCostFits()
    {
        var counter = new SlidingWindowCounter(s_window);
        counter.Add(60, S(0));

        Assert.Equal(TimeSpan.Zero, counter.WaitFor(100, 40, S(1)));
    }

    [Fact]
    public void WaitFor_EndsWhenEnoughOfTheOldestEntriesHaveLeft()
    {
        var counter = new SlidingWindowCounter(s_window);
        counter.Add(30, S(0));
        counter.Add(30, S(10));
        counter.Add(30, S(20));

        // 90 used; 50 more needs 40 to leave: the entries of t=0 and t=10.
        Assert.Equal(S(45), counter.WaitFor(100, 50, S(25)));
    }

    [Fact]
    public void WaitFor_IsNullWhenTheCostAloneIsOverTheLimit()
    {
        var counter = new SlidingWindowCounter(s_window);

        Assert.Null(counter.WaitFor(100, 101, S(0)));
    }

    [Fact]
    public void UntilEmpty_IsTheTimeUntilTheNewestEntryLeaves()
    {
        var counter = new SlidingWindowCounter(s_window);
        counter.Add(1, S(0));
        counter.Add(1, S(15));

        Assert.Equal(S(55), counter.UntilEmpty(S(20)));
        Assert.Equal(TimeSpan.Zero, counter.UntilEmpty(S(75)));
    }
}
