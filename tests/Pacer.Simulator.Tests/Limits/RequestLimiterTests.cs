using Microsoft.Extensions.Time.Testing;

namespace Pacer.Simulator.Tests.Limits;

public class RequestLimiterTests
{
    private const string Key = "key-1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private RequestLimiter CreateSut(LimitOptions defaults, params LimitRule[] rules) =>
        new(new SimulatorLimits { Default = defaults, Rules = rules }, new SimulatorClock(_time));

    private static LimitDecision Acquire(RequestLimiter limiter, long tokens = 0, string key = Key, SimulatorRoute route = SimulatorRoute.Chat)
    {
        var decision = limiter.AttemptAcquire(key, route, tokens);
        decision.Release();
        return decision;
    }

    [Fact]
    public void RequestsPerMinute_RejectsExactlyTheRequestBeyondTheLimit()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 5 });

        for (int i = 0; i < 5; i++)
        {
            Assert.True(Acquire(limiter).IsAccepted);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var rejected = Acquire(limiter);

        Assert.False(rejected.IsAccepted);
        Assert.Equal(LimitReason.RequestsPerMinute, rejected.Reason);
        Assert.Equal(TimeSpan.FromSeconds(55), rejected.RetryAfter);
    }

    [Fact]
    public void RequestsPerMinute_AcceptsAgainExactlyAtRetryAfter()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 2 });
        Assert.True(Acquire(limiter).IsAccepted);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(Acquire(limiter).IsAccepted);
        _time.Advance(TimeSpan.FromSeconds(20));

        var rejected = Acquire(limiter);
        Assert.Equal(TimeSpan.FromSeconds(30), rejected.RetryAfter);

        _time.Advance(rejected.RetryAfter - TimeSpan.FromTicks(1));
        Assert.False(Acquire(limiter).IsAccepted);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(Acquire(limiter).IsAccepted);
    }

    [Fact]
    public void RequestsPerSecond_RejectsBeyondTheLimitWithinOneSecond()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerSecond = 3 });
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Acquire(limiter).IsAccepted);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var rejected = Acquire(limiter);

        Assert.Equal(LimitReason.RequestsPerSecond, rejected.Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(700), rejected.RetryAfter);
    }

    [Fact]
    public void TokensPerMinute_AcceptsUpToTheLimitExactly()
    {
        var limiter = CreateSut(new LimitOptions { TokensPerMinute = 100 });

        Assert.True(Acquire(limiter, 40).IsAccepted);
        Assert.True(Acquire(limiter, 40).IsAccepted);
        Assert.False(Acquire(limiter, 21).IsAccepted);
        Assert.True(Acquire(limiter, 20).IsAccepted);
        Assert.False(Acquire(limiter, 1).IsAccepted);
    }

    [Fact]
    public void TokensPerMinute_RetryAfterWaitsForAsManyOldRequestsAsTheCostNeeds()
    {
        var limiter = CreateSut(new LimitOptions { TokensPerMinute = 100 });
        Acquire(limiter, 30);
        _time.Advance(TimeSpan.FromSeconds(10));
        Acquire(limiter, 30);
        _time.Advance(TimeSpan.FromSeconds(10));
        Acquire(limiter, 30);
        _time.Advance(TimeSpan.FromSeconds(5));

        var rejected = Acquire(limiter, 50);

        Assert.Equal(LimitReason.TokensPerMinute, rejected.Reason);
        Assert.Equal(50, rejected.Cost);
        Assert.Equal(TimeSpan.FromSeconds(45), rejected.RetryAfter);
    }

    [Fact]
    public void TokensPerMinute_RequestAloneOverTheLimitIsTooLarge()
    {
        var limiter = CreateSut(new LimitOptions { TokensPerMinute = 100 });

        var rejected = Acquire(limiter, 101);

        Assert.Equal(LimitReason.RequestTooLarge, rejected.Reason);
    }

    [Fact]
    public void MaxConcurrency_RejectsWhileFullAndAcceptsAfterRelease()
    {
        var limiter = CreateSut(new LimitOptions { MaxConcurrency = 2 });
        var first = limiter.AttemptAcquire(Key, SimulatorRoute.Chat, 0);
        var second = limiter.AttemptAcquire(Key, SimulatorRoute.Chat, 0);

        var third = limiter.AttemptAcquire(Key, SimulatorRoute.Chat, 0);
        Assert.Equal(LimitReason.Concurrency, third.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), third.RetryAfter);

        first.Release();
        first.Release(); // a second release frees nothing more
        var fourth = limiter.AttemptAcquire(Key, SimulatorRoute.Chat, 0);
        Assert.True(fourth.IsAccepted);
        Assert.False(limiter.AttemptAcquire(Key, SimulatorRoute.Chat, 0).IsAccepted);
        second.Release();
        fourth.Release();
    }

    [Fact]
    public void RejectedRequestsCountNothing()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 1, TokensPerMinute = 10 });
        Assert.True(Acquire(limiter, 5).IsAccepted);
        for (int i = 0; i < 10; i++)
        {
            Assert.False(Acquire(limiter, 5).IsAccepted);
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        var accepted = Acquire(limiter, 5);

        Assert.True(accepted.IsAccepted);
        Assert.Equal(5, accepted.Tokens!.Value.Remaining);
    }

    [Fact]
    public void Update_HalvingTheLimitAppliesToWhatWasAlreadyAccepted()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 10 });
        for (int i = 0; i < 8; i++)
        {
            Assert.True(Acquire(limiter).IsAccepted);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        limiter.Update(new SimulatorLimits { Default = new LimitOptions { RequestsPerMinute = 5 } });
        var rejected = Acquire(limiter);

        // 8 in the window, 5 allowed: the 4 oldest (t = 0..3 s) must leave; the 4th leaves at 63 s.
        Assert.Equal(LimitReason.RequestsPerMinute, rejected.Reason);
        Assert.Equal(TimeSpan.FromSeconds(63 - 8), rejected.RetryAfter);
        Assert.Equal(0, rejected.Requests!.Value.Remaining);
        Assert.Equal(8, rejected.Requests!.Value.Used);
    }

    [Fact]
    public void Update_InvalidLimitsChangeNothing()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 1 });

        var error = Assert.Throws<ArgumentException>(() => limiter.Update(new SimulatorLimits { Default = new LimitOptions { RequestsPerMinute = 0 } }));

        Assert.Equal("Default.RequestsPerMinute must be at least 1, got 0.", error.Message);
        Assert.Equal(1, limiter.Limits.Default.RequestsPerMinute);
    }

    [Fact]
    public void AcceptedDecision_ReportsRemainingAndFullReset()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 3, TokensPerMinute = 1000 });
        Acquire(limiter, 100);
        _time.Advance(TimeSpan.FromSeconds(20));

        var decision = Acquire(limiter, 250);

        Assert.Equal(new WindowState(3, 2, TimeSpan.FromSeconds(60)), decision.Requests);
        Assert.Equal(1, decision.Requests!.Value.Remaining);
        Assert.Equal(new WindowState(1000, 350, TimeSpan.FromSeconds(60)), decision.Tokens);
    }

    [Fact]
    public void RequestsHeaderReportsPerSecondWhenNoPerMinuteLimit()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerSecond = 4 });

        var decision = Acquire(limiter);

        Assert.Equal(new WindowState(4, 1, TimeSpan.FromSeconds(1)), decision.Requests);
        Assert.Null(decision.Tokens);
    }

    [Fact]
    public void Limits_AreKeptPerKeyAndPerRoute()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 1 });

        Assert.True(Acquire(limiter, key: "a").IsAccepted);
        Assert.False(Acquire(limiter, key: "a").IsAccepted);
        Assert.True(Acquire(limiter, key: "b").IsAccepted);
        Assert.True(Acquire(limiter, key: "a", route: SimulatorRoute.Messages).IsAccepted);
    }

    [Fact]
    public void Resolve_TheMostSpecificRuleWins()
    {
        var keyAndRoute = new LimitOptions { RequestsPerMinute = 1 };
        var keyOnly = new LimitOptions { RequestsPerMinute = 2 };
        var routeOnly = new LimitOptions { RequestsPerMinute = 3 };
        var limiter = CreateSut(
            new LimitOptions { RequestsPerMinute = 4 },
            new LimitRule { ApiKey = "k", Route = SimulatorRoute.Chat, Limits = keyAndRoute },
            new LimitRule { ApiKey = "k", Limits = keyOnly },
            new LimitRule { Route = SimulatorRoute.Chat, Limits = routeOnly });

        Assert.Equal(1, limiter.Resolve("k", SimulatorRoute.Chat).RequestsPerMinute);
        Assert.Equal(2, limiter.Resolve("k", SimulatorRoute.Messages).RequestsPerMinute);
        Assert.Equal(3, limiter.Resolve("other", SimulatorRoute.Chat).RequestsPerMinute);
        Assert.Equal(4, limiter.Resolve("other", SimulatorRoute.Echo).RequestsPerMinute);
    }

    [Fact]
    public void ClearWindows_ForgetsCountedRequests()
    {
        var limiter = CreateSut(new LimitOptions { RequestsPerMinute = 1 });
        Acquire(limiter);

        limiter.ClearWindows();

        Assert.True(Acquire(limiter).IsAccepted);
    }

    [Fact]
    public void RandomArrivals_NoWindowHoldsMoreThanTheLimitAndEveryRejectionWasNeeded()
    {
        const int Limit = 7;
        var window = TimeSpan.FromSeconds(1);
        var limiter = CreateSut(new LimitOptions { RequestsPerSecond = Limit });
        var random = new Random(42);
        var start = _time.GetUtcNow();
        var accepted = new List<TimeSpan>();
        for (int i = 0; i < 2_000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 120)));
            TimeSpan now = _time.GetUtcNow() - start;
            int inWindow = accepted.Count(t => now - t < window);
            var decision = Acquire(limiter);

            // Accepted exactly when the window ending now had room.
            Assert.Equal(inWindow < Limit, decision.IsAccepted);
            if (decision.IsAccepted)
            {
                accepted.Add(now);
            }
            else
            {
                // Retry-After is exactly when the oldest counted request leaves.
                var oldest = accepted.Where(t => now - t < window).Min();
                Assert.Equal(oldest + window - now, decision.RetryAfter);
            }
        }
    }
}
