using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;

namespace Pacer.Bench.Micro;

/// <summary>
/// One rate decision: may a start happen now? Pacer's GCRA gate (<c>RateGate.CanSpend</c>, then
/// <c>Spend</c> when allowed, with the clock read the engine does for it) against
/// <see cref="TokenBucketRateLimiter.AttemptAcquire(int)"/>, whose timer refills it. Allowed: a
/// bucket that never runs dry; denied: an empty one. <c>PacerRateGateArithmetic</c> is the same
/// decision at a fixed timestamp: the GCRA arithmetic alone, without the clock read.
/// </summary>
public class RateDecisionBenchmark
{
    private TokenBucketRateLimiter _bucket = null!;
    private RateGate _gate = null!;
    private long _now;

    [Params(true, false)]
    public bool Allowed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        long now = TimeProvider.System.GetTimestamp();
        _now = now;
        if (Allowed)
        {
            _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = int.MaxValue,
                TokensPerPeriod = int.MaxValue,
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(10),
                AutoReplenishment = true,
            });
            const long Huge = 1_000_000_000_000;
            _gate = new RateGate(new RateLimit(Huge, TimeSpan.FromSeconds(1), Huge), TimeProvider.System.TimestampFrequency, now);
        }
        else
        {
            _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = 1,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromDays(1),
                AutoReplenishment = false,
            });
            _bucket.AttemptAcquire(1).Dispose();
            _gate = new RateGate(RateLimit.PerDay(1), TimeProvider.System.TimestampFrequency, now);
            _gate.Spend(now, 1);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _bucket.Dispose();

    [Benchmark(Baseline = true)]
    public bool TokenBucket()
    {
        using RateLimitLease lease = _bucket.AttemptAcquire(1);
        return lease.IsAcquired;
    }

    [Benchmark]
    public bool PacerRateGate()
    {
        long now = TimeProvider.System.GetTimestamp();
        if (!_gate.CanSpend(now, 1))
        {
            return false;
        }

        _gate.Spend(now, 1);
        return true;
    }

    [Benchmark]
    public bool PacerRateGateArithmetic()
    {
        if (!_gate.CanSpend(_now, 1))
        {
            return false;
        }

        _gate.Spend(_now, 1);
        return true;
    }
}
