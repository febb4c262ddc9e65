using BenchmarkDotNet.Attributes;

namespace Pacer.Bench.Micro;

/// <summary>
/// What an adaptive lane does per request (<see cref="AdaptiveRate"/>), after it has run 1,000
/// requests against a hidden bucket of 20 a second and a burst of 5, told 100: an admitted request
/// (<c>OnStarted</c> and <c>OnSuccess</c>, holding at the base with its anchors kept), and the fit
/// of a bucket to every outcome kept, which a refusal that steers the rate runs once.
/// </summary>
public class AdaptiveRateBenchmark
{
    private const long Frequency = 1_000_000;
    private AdaptiveRate _lane = null!;
    private long _now;
    private long _attempt;
    private long _step;

    [GlobalSetup]
    public void Setup()
    {
        _lane = new AdaptiveRate(new AdaptiveOptions(), 100, null, Frequency, 0);
        double level = 0;
        long last = long.MinValue;
        for (_attempt = 1; _attempt <= 1_000; _attempt++)
        {
            _lane.OnStarted(_now, _attempt, 0);
            double asked = last == long.MinValue ? 0 : Math.Max(level - (20.0 * (_now - last) / Frequency) + 1, 0);
            AdaptiveRate.Sent sent = _lane.SentAs(_attempt, _now, 0, _now);
            if (asked <= 5)
            {
                (level, last) = (asked, _now);
                _lane.OnSuccess(_now, sent);
            }
            else
            {
                _lane.OnRateLimited(_now, sent);
            }

            _now += (long)(Frequency / _lane.Rate(_now));
        }

        _step = (long)(Frequency / _lane.Rate(_now));
        if (_lane.FitBucket(1_000, 1, 100) is null)
        {
            throw new InvalidOperationException("No bucket fits the outcomes: the benchmark would time nothing.");
        }
    }

    [Benchmark]
    public bool AdmittedRequest()
    {
        _now += _step;
        long attempt = _attempt++;
        _lane.OnStarted(_now, attempt, 0);
        return _lane.OnSuccess(_now, _lane.SentAs(attempt, _now, 0, _now));
    }

    [Benchmark]
    public double FitOfAThousandOutcomes() => _lane.FitBucket(1_000, 1, 100)?.High ?? 0;
}
