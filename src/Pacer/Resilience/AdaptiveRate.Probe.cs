namespace Pacer;

/// <summary>How an adaptive lane's rate moves with time between outcomes: the probe for a raised limit.</summary>
internal sealed partial class AdaptiveRate
{
    /// <summary>How often the probe's climb doubles, unsure of the base, while the service keeps admitting.</summary>
    private const double UnsureDoublingSeconds = 2;

    /// <summary>Moves the rate on to now: back toward the base after a decrease, then the probe upward.</summary>
    private void Advance(long now)
    {
        double seconds = (double)(now - _updatedAt) / _frequency;
        if (seconds <= 0)
        {
            return;
        }

        _updatedAt = now;
        if (_base == 0)
        {
            return;
        }

        if (_rate < _base)
        {
            // Recovering: the rate climbs with admitted requests (OnSuccess), not with time.
            return;
        }

        // The probe: slow enough near the base that the next refusal is about ProbeEvery admitted
        // requests away, and twice as steep after each ProbeEvery admitted without one, to find a
        // raised limit. Unsure of the base (nothing counted, or the count far under the refused
        // request's rate: the service's bucket may have run empty on the way), it doubles every
        // two seconds too.
        if (_calmSince == long.MinValue)
        {
            _calmSince = now;
        }

        if (_fitted && _calm < _options.ProbeEvery * _probeSpread)
        {
            // The base sits just under bounds that fit every outcome: a climb now would only be
            // refused. It waits ProbeEvery admitted requests (further while probes fail), then
            // looks for a raised limit.
            return;
        }

        double doublings = _calm / (double)_options.ProbeEvery;
        if (_unsure)
        {
            doublings = Math.Max(doublings, (double)(now - _calmSince) / _frequency / UnsureDoublingSeconds);
        }

        double climb = _options.Margin * _base * _base / (_options.ProbeEvery * _probeSpread) * Math.Pow(2, Math.Min(30, doublings));
        _rate = Math.Min(_ceiling, _rate + (climb * seconds));
    }
}
