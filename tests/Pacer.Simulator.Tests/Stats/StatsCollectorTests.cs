using Microsoft.Extensions.Time.Testing;

namespace Pacer.Simulator.Tests.Stats;

public class StatsCollectorTests
{
    private readonly FakeTimeProvider _time = new();

    private StatsCollector CreateSut() => new(new SimulatorClock(_time));

    [Fact]
    public void CountsRequestsByRouteAndStatus()
    {
        var stats = CreateSut();
        stats.Begin(SimulatorRoute.Chat);
        stats.End(SimulatorRoute.Chat, VisitOutcome.Answered, 200, 30);
        stats.Begin(SimulatorRoute.Chat);
        stats.End(SimulatorRoute.Chat, VisitOutcome.Answered, 429, 0);
        stats.Begin(SimulatorRoute.Echo);
        stats.End(SimulatorRoute.Echo, VisitOutcome.Dropped, 200, 0);

        var snapshot = stats.Snapshot();

        Assert.Equal(3, snapshot.Total.Requests);
        Assert.Equal(1, snapshot.Total.CountOf(200));
        Assert.Equal(1, snapshot.Total.CountOf(429));
        Assert.Equal(1, snapshot.Total.Dropped);
        Assert.Equal(30, snapshot.Total.Tokens);
        Assert.Equal(2, snapshot.ByRoute[SimulatorRoute.Chat].Requests);
        Assert.Equal(1, snapshot.ByRoute[SimulatorRoute.Echo].Dropped);
        Assert.Equal(0, snapshot.ByRoute[SimulatorRoute.Listing].Requests);
    }

    [Fact]
    public void MaxConcurrent_IsTheMostInFlightAtOnce()
    {
        var stats = CreateSut();
        stats.Begin(SimulatorRoute.Chat);
        stats.Begin(SimulatorRoute.Chat);
        stats.Begin(SimulatorRoute.Messages);
        stats.End(SimulatorRoute.Chat, VisitOutcome.Answered, 200, 0);
        stats.End(SimulatorRoute.Chat, VisitOutcome.Answered, 200, 0);
        stats.Begin(SimulatorRoute.Chat);

        var snapshot = stats.Snapshot();

        Assert.Equal(3, snapshot.Total.MaxConcurrent);
        Assert.Equal(2, snapshot.Total.InFlight);
        Assert.Equal(2, snapshot.ByRoute[SimulatorRoute.Chat].MaxConcurrent);
    }

    [Fact]
    public void MaxStarts_UseTheClockSlidingWindows()
    {
        var stats = CreateSut();
        for (int i = 0; i < 10; i++)
        {
            stats.Begin(SimulatorRoute.Listing);
            stats.End(SimulatorRoute.Listing, VisitOutcome.Answered, 200, 0);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        var snapshot = stats.Snapshot();

        Assert.Equal(2, snapshot.Total.MaxStartsPer100Milliseconds);
        Assert.Equal(10, snapshot.Total.MaxStartsPerSecond);
    }

    [Fact]
    public void Reset_KeepsRequestsInFlight()
    {
        var stats = CreateSut();
        stats.Begin(SimulatorRoute.Chat);
        stats.Begin(SimulatorRoute.Chat);
        stats.End(SimulatorRoute.Chat, VisitOutcome.Answered, 200, 5);

        stats.Reset();
        var afterReset = stats.Snapshot();
        stats.End(SimulatorRoute.Chat, VisitOutcome.Cancelled, 200, 0);
        var afterEnd = stats.Snapshot();

        Assert.Equal(0, afterReset.Total.Requests);
        Assert.Equal(1, afterReset.Total.InFlight);
        Assert.Equal(1, afterReset.Total.MaxConcurrent);
        Assert.Empty(afterReset.Total.ByStatus);
        Assert.Equal(0, afterEnd.Total.InFlight);
        Assert.Equal(1, afterEnd.Total.Cancelled);
    }

    [Fact]
    public async Task WaitForAsync_CompletesOnTheChangeThatMakesTheConditionTrue()
    {
        var stats = CreateSut();
        var wait = stats.WaitForAsync(s => s.Total.Requests >= 2, CancellationToken.None);

        stats.Begin(SimulatorRoute.Echo);
        Assert.False(wait.IsCompleted);
        stats.Begin(SimulatorRoute.Echo);

        var snapshot = await wait.DefaultTimeout();
        Assert.Equal(2, snapshot.Total.Requests);
    }

    [Fact]
    public async Task WaitForAsync_StopsWhenCancelled()
    {
        var stats = CreateSut();
        using var cancellation = new CancellationTokenSource();
        var wait = stats.WaitForAsync(_ => false, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.DefaultTimeout());
    }
}
