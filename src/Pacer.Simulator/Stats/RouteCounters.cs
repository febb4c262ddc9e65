using System.Diagnostics;

namespace Pacer.Simulator;

/// <summary>The mutable counters behind one <see cref="RouteStats"/>. Not thread-safe: <see cref="StatsCollector"/> locks.</summary>
internal sealed class RouteCounters
{
    private readonly Dictionary<int, long> _byStatus = [];
    private readonly SlidingWindowMax _perSecond = new(TimeSpan.FromSeconds(1));
    private readonly SlidingWindowMax _per100Milliseconds = new(TimeSpan.FromMilliseconds(100));
    private long _requests;
    private long _dropped;
    private long _cancelled;
    private int _inFlight;
    private int _maxInFlight;
    private long _tokens;

    public void Begin(TimeSpan now)
    {
        _requests++;
        _perSecond.Record(now);
        _per100Milliseconds.Record(now);
        _inFlight++;
        _maxInFlight = Math.Max(_maxInFlight, _inFlight);
    }

    public void End(VisitOutcome outcome, int statusCode, long tokens)
    {
        _inFlight--;
        Debug.Assert(_inFlight >= 0, "A request ended twice.");
        _tokens += tokens;
        switch (outcome)
        {
            case VisitOutcome.Dropped:
                _dropped++;
                break;
            case VisitOutcome.Cancelled:
                _cancelled++;
                break;
            default:
                _byStatus[statusCode] = _byStatus.GetValueOrDefault(statusCode) + 1;
                break;
        }
    }

    /// <summary>Forgets everything but the requests in flight, which still end later.</summary>
    public void Reset()
    {
        _byStatus.Clear();
        _perSecond.Clear();
        _per100Milliseconds.Clear();
        _requests = 0;
        _dropped = 0;
        _cancelled = 0;
        _maxInFlight = _inFlight;
        _tokens = 0;
    }

    public RouteStats Snapshot() => new()
    {
        Requests = _requests,
        ByStatus = new Dictionary<int, long>(_byStatus),
        Dropped = _dropped,
        Cancelled = _cancelled,
        MaxStartsPerSecond = _perSecond.Max,
        MaxStartsPer100Milliseconds = _per100Milliseconds.Max,
        MaxConcurrent = _maxInFlight,
        InFlight = _inFlight,
        Tokens = _tokens,
    };
}
