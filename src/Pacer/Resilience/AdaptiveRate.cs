namespace Pacer;

/// <summary>
/// The effective rate of an adaptive lane (see <see cref="AdaptiveOptions"/>), in units per
/// second, driven by outcomes and hints. Pure arithmetic on timestamps: the engine applies the
/// rate it returns to the lane's gate. Not thread-safe: the engine lock guards it.
/// </summary>
internal sealed class AdaptiveRate
{
    private readonly long _frequency;
    private AdaptiveOptions _options;
    private double _ceiling;
    private double _rate;
    private long _changedAt;
    private long _lastDecreaseAt = long.MinValue;
    private long _admittedSinceChange;
    private long _climbedAt;

    /// <summary>A cap from a remaining/reset hint, valid until <see cref="_hintCapUntil"/>.</summary>
    private double _hintCap = double.PositiveInfinity;
    private long _hintCapUntil = long.MinValue;

    public AdaptiveRate(AdaptiveOptions options, double ceiling, long timestampFrequency, long now)
    {
        _options = options;
        _frequency = timestampFrequency;
        _ceiling = ceiling;
        _rate = ceiling * options.StartFraction;
        _changedAt = now;
        _climbedAt = now;
    }

    /// <summary>The effective rate now, hint caps included.</summary>
    public double Rate(long now) => now < _hintCapUntil ? Math.Min(_rate, _hintCap) : _rate;

    public double Ceiling => _ceiling;

    /// <summary>The fraction of the ceiling the lane runs at.</summary>
    public double Fraction(long now) => Rate(now) / _ceiling;

    public void Reconfigure(AdaptiveOptions options, double ceiling)
    {
        _options = options;
        _ceiling = ceiling;
        _rate = Math.Min(_rate, ceiling);
    }

    /// <summary>A good outcome: counts as admitted, and climbs at most once per elapsed second's worth.</summary>
    /// <returns>Whether the rate changed.</returns>
    public bool OnSuccess(long now)
    {
        _admittedSinceChange++;
        double seconds = (double)(now - _climbedAt) / _frequency;
        if (seconds <= 0 || _rate >= _ceiling)
        {
            _climbedAt = now;
            return false;
        }

        _rate = Math.Min(_ceiling, _rate * (1 + (_options.IncreasePerSecond * seconds)));
        _climbedAt = now;
        return true;
    }

    /// <summary>A rate-limit refusal: decreases, unless one happened within the cooldown.</summary>
    /// <returns>Whether the rate changed.</returns>
    public bool OnRateLimited(long now)
    {
        if (_lastDecreaseAt != long.MinValue && now - _lastDecreaseAt < (long)(_options.Cooldown.TotalSeconds * _frequency))
        {
            return false;
        }

        double elapsed = (double)(now - _changedAt) / _frequency;
        double floor = _rate * _options.DecreaseFactor;
        double top = _rate * (1 - _options.Margin);
        double next = floor;
        if (elapsed >= 1)
        {
            // What the service let through since the last change is its limit, as seen from here.
            double admitted = _admittedSinceChange / elapsed;
            next = Math.Clamp(admitted * (1 - _options.Margin), floor, Math.Max(floor, top));
        }

        SetRate(Math.Max(next, _ceiling * _options.MinFraction), now);
        _lastDecreaseAt = now;
        return true;
    }

    /// <summary>The service stated its limit: lower the ceiling (never raise it above the configured one).</summary>
    public bool OnStatedLimit(double perSecond, double configuredCeiling, long now)
    {
        double ceiling = Math.Min(configuredCeiling, perSecond);
        if (Math.Abs(ceiling - _ceiling) < 1e-9)
        {
            return false;
        }

        _ceiling = ceiling;
        if (_rate > ceiling)
        {
            SetRate(ceiling, now);
        }

        return true;
    }

    /// <summary>The service said <paramref name="remaining"/> calls are left until <paramref name="resetAt"/>: pace them to last.</summary>
    public bool OnRemaining(long remaining, long resetAt, long now)
    {
        if (resetAt <= now || remaining <= 0)
        {
            return false;
        }

        _hintCap = remaining / ((double)(resetAt - now) / _frequency);
        _hintCapUntil = resetAt;
        return true;
    }

    private void SetRate(double rate, long now)
    {
        _rate = rate;
        _changedAt = now;
        _climbedAt = now;
        _admittedSinceChange = 0;
    }
}
