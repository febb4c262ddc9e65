namespace Pacer;

/// <summary>What a service states of its limits, applied to an adaptive lane's rate.</summary>
internal sealed partial class AdaptiveRate
{
    /// <summary>A cap from a remaining/reset hint, valid until <see cref="_hintCapUntil"/>.</summary>
    private double _hintCap = double.PositiveInfinity;
    private long _hintCapUntil = long.MinValue;

    /// <summary>The service stated its limit: lower the ceiling (never raise it above the configured one).</summary>
    public bool OnStatedLimit(double perSecond, double configuredCeiling, long now)
    {
        double ceiling = Math.Min(configuredCeiling, perSecond);
        if (Math.Abs(ceiling - _ceiling) < 1e-9)
        {
            return false;
        }

        Advance(now);
        _ceiling = ceiling;
        _rate = Math.Min(_rate, ceiling);
        _base = Math.Min(_base, ceiling);
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
}
