using System.Collections.Concurrent;

namespace Pacer.Simulator;

/// <summary>
/// The hidden limits of the simulator: one <see cref="LimitPartition"/> per API key and route,
/// judged against the current <see cref="LimitBook"/>, which can be replaced at any time.
/// </summary>
internal sealed class RequestLimiter
{
    private readonly SimulatorClock _clock;
    private readonly ConcurrentDictionary<(string ApiKey, SimulatorRoute Route), LimitPartition> _partitions = new();
    private volatile LimitBook _book;

    public RequestLimiter(SimulatorLimits limits, SimulatorClock clock)
    {
        _clock = clock;
        _book = new LimitBook(limits.ValidatedCopy());
    }

    /// <summary>A copy of the limits in force.</summary>
    public SimulatorLimits Limits => _book.Limits.Clone();

    /// <summary>Replaces the limits; counters carry over, so a lowered limit applies to what was already accepted.</summary>
    /// <exception cref="ArgumentException">The limits are invalid; nothing changes.</exception>
    public void Update(SimulatorLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _book = new LimitBook(limits.ValidatedCopy());
    }

    /// <summary>The limits that apply to <paramref name="apiKey"/> on <paramref name="route"/>.</summary>
    public LimitOptions Resolve(string apiKey, SimulatorRoute route) => _book.Resolve(apiKey, route);

    /// <summary>Accepts or rejects one request that costs <paramref name="tokens"/>; never waits.</summary>
    public LimitDecision AttemptAcquire(string apiKey, SimulatorRoute route, long tokens)
    {
        var limits = _book.Resolve(apiKey, route);
        var partition = _partitions.GetOrAdd((apiKey, route), static (key, clock) => new LimitPartition(CountsFixedWindows(key.Route), clock.SinceEpoch), _clock);
        return partition.AttemptAcquire(limits, tokens, _clock);
    }

    /// <summary>
    /// The plain routes count in fixed windows, as GitHub and most REST APIs whose headers say
    /// "remaining until reset" do; the provider routes in sliding ones, as their steadily
    /// refilling allowances behave when judged strictly.
    /// </summary>
    public static bool CountsFixedWindows(SimulatorRoute route) => route is SimulatorRoute.Echo or SimulatorRoute.Listing;

    /// <summary>Forgets what every window counted; requests in flight keep their slots.</summary>
    public void ClearWindows()
    {
        foreach (var partition in _partitions.Values)
        {
            partition.ClearWindows();
        }
    }
}
