using System.Diagnostics;

namespace Pacer;

/// <summary>
/// The exact arithmetic of one <see cref="RateLimit"/>: the generic cell rate algorithm (GCRA),
/// which is a continuous token bucket kept as one number, the theoretical arrival time (TAT).
/// </summary>
/// <remarks>
/// Time is kept in timestamp ticks multiplied by <c>Permits</c>, so that one unit costs exactly
/// <c>Period</c> scaled ticks and no rounding ever happens: at 3 per second the emission
/// interval is 333,333,333⅓ ns, which a plain long cannot hold but Period × 1 ÷ 3 scaled can.
/// The bucket is full when TAT ≤ now; spending c units moves TAT to max(TAT, now) + c × Period;
/// a spend is allowed when the new TAT − now stays within Burst × Period. Starts in any window of
/// length w are then at most Permits × w ÷ Period + Burst. A margin (see
/// <see cref="LaneOptions.PeriodMargin"/>) lengthens the period the arithmetic uses, not the limit
/// reported. Not thread-safe: the engine lock guards it.
/// </remarks>
internal sealed class RateGate
{
    private long _permits;
    private Int128 _period;   // in timestamp ticks
    private Int128 _capacity; // Burst × Period, scaled
    private Int128 _tat;      // scaled: timestamp × Permits
    private long _burst;
    private TimeSpan _margin;
    private long _lastSpendAt = long.MinValue;
    private long _lastSpendCost;

    public RateGate(RateLimit limit, long timestampFrequency, long now, TimeSpan margin = default)
    {
        _margin = margin;
        Apply(limit, timestampFrequency);
        _tat = (Int128)now * _permits; // starts full
    }

    public RateLimit Limit { get; private set; } = null!;

    /// <summary>The rate kept, in units per second: the limit's, less the margin's share.</summary>
    public double PerSecondRate => Limit.Permits / (Limit.Period + _margin).TotalSeconds;

    /// <summary>True when <paramref name="cost"/> units may be spent at <paramref name="now"/>.</summary>
    /// <remarks>A cost above the burst is allowed once the bucket is full, and leaves it in debt.</remarks>
    public bool CanSpend(long now, long cost)
    {
        Int128 scaledNow = (Int128)now * _permits;
        Int128 start = _tat > scaledNow ? _tat : scaledNow;
        Int128 after = start + (_period * cost);
        return after - scaledNow <= _capacity || _tat <= scaledNow;
    }

    /// <summary>The first timestamp at which <paramref name="cost"/> units may be spent.</summary>
    public long NextAllowed(long now, long cost)
    {
        if (CanSpend(now, cost))
        {
            return now;
        }

        // Smallest t with TAT + cost × Period − t × Permits ≤ capacity, or with TAT ≤ t × Permits.
        Int128 need = _tat + (_period * cost) - _capacity;
        if (need > _tat)
        {
            need = _tat;
        }

        return (long)CeilDiv(need, _permits);
    }

    public void Spend(long now, long cost)
    {
        Int128 scaledNow = (Int128)now * _permits;
        Int128 start = _tat > scaledNow ? _tat : scaledNow;
        _tat = start + (_period * cost);
        _lastSpendAt = now;
        _lastSpendCost = cost;
    }

    /// <summary>Gives units back (a job's real cost came out lower than its estimate) or takes more.</summary>
    public void Adjust(long now, long delta)
    {
        Int128 scaledNow = (Int128)now * _permits;
        _tat += _period * delta;
        _lastSpendCost = Math.Max(0, _lastSpendCost + delta);
        if (delta < 0 && _tat < scaledNow)
        {
            _tat = scaledNow; // refunds never overfill the bucket
        }
    }

    /// <summary>
    /// Changes the limit while keeping what has been spent: the debt (units not yet refilled) is
    /// carried over, so a change never hands out a fresh bucket; and the last spend counts as if
    /// made at the new rate, so that a lowered rate spaces the next start from it by the new
    /// interval (a strict service still counts that start in its window).
    /// </summary>
    /// <param name="limit">The new limit.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in.</param>
    /// <param name="now">The current timestamp.</param>
    /// <param name="margin">The new period margin; <see langword="null"/> keeps the current one.</param>
    public void Reconfigure(RateLimit limit, long timestampFrequency, long now, TimeSpan? margin = null)
    {
        Int128 oldScaledNow = (Int128)now * _permits;
        Int128 oldDebt = _tat - oldScaledNow; // in units × old Period
        Int128 oldPeriod = _period;
        _margin = margin ?? _margin;
        Apply(limit, timestampFrequency);
        Int128 scaledNow = (Int128)now * _permits;

        // debt units = oldDebt / oldPeriod; in new scaled ticks: units × new Period, rounded up.
        _tat = oldDebt <= 0 ? scaledNow : scaledNow + CeilDiv(oldDebt * _period, oldPeriod);
        if (_lastSpendAt != long.MinValue)
        {
            Int128 afterLastSpend = ((Int128)_lastSpendAt * _permits) + (_period * _lastSpendCost);
            if (afterLastSpend > _tat)
            {
                _tat = afterLastSpend;
            }
        }
    }

    /// <summary>Units available now (fractional units rounded down), for progress snapshots.</summary>
    public long Available(long now)
    {
        Int128 scaledNow = (Int128)now * _permits;
        Int128 debt = _tat > scaledNow ? _tat - scaledNow : 0;
        return (long)((_capacity - debt) / _period);
    }

    private void Apply(RateLimit limit, long timestampFrequency)
    {
        Limit = limit;
        _permits = limit.Permits;
        _burst = limit.Burst;
        _period = (Int128)(limit.Period + _margin).Ticks * timestampFrequency / TimeSpan.TicksPerSecond;
        Debug.Assert(_period > 0);
        _capacity = _period * _burst;
    }

    private static Int128 CeilDiv(Int128 a, Int128 b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
