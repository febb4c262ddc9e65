namespace Pacer;

/// <summary>The concurrency an adaptive lane learns: how many requests the service admits at once.</summary>
internal sealed partial class AdaptiveRate
{
    private int? _concurrencyCeiling;
    private int _concurrency;
    private int _admittedAtOnce;
    private int _concurrencyBound;
    private int _admittedAtCap;
    private bool _concurrencyRefused;

    /// <summary>The concurrency a probe raised the cap from, until a request admitted above it confirms the probe; 0 when none.</summary>
    private int _probedFrom;

    /// <summary>The concurrency learned, or null when the lane's concurrency is not learned.</summary>
    public int? Concurrency => _options.AdaptConcurrency && _concurrencyCeiling is not null ? _concurrency : null;

    /// <summary>A request sent with <paramref name="othersInFlight"/> others in flight ended well: at the cap, the cap grows.</summary>
    private void OnSuccessInFlight(int othersInFlight)
    {
        _admittedAtOnce = Math.Max(_admittedAtOnce, othersInFlight + 1);
        if (_probedFrom > 0 && othersInFlight + 1 > _probedFrom)
        {
            _probedFrom = 0;
        }

        if (othersInFlight + 1 >= _concurrency)
        {
            // Each ends well at the cap: before any refusal the cap grows by one with each (doubling
            // about once a round trip); after, it probes.
            _admittedAtCap++;
            int needed = _concurrencyRefused ? Math.Max(_concurrency, _options.ProbeEvery) : 1;
            if (_admittedAtCap >= needed)
            {
                _admittedAtCap = 0;
                if (_concurrency >= _concurrencyBound && _concurrencyRefused && _concurrencyBound < (_concurrencyCeiling ?? int.MaxValue))
                {
                    _concurrencyBound++;
                    _probedFrom = _concurrency;
                }

                _concurrency = Math.Min(_concurrencyBound, _concurrency + 1);
            }
        }
    }

    /// <summary>
    /// Whether a refusal of a request sent as <paramref name="sent"/> is the concurrency cap's, and
    /// if so, whether the concurrency changed; null when it is the rate's.
    /// </summary>
    private bool? RefusedByCap(Sent sent)
    {
        int othersInFlight = sent.OthersInFlight;
        if (_probedFrom > 0 && othersInFlight + 1 >= _probedFrom)
        {
            // Refused while the cap's probe is unconfirmed, with as many in flight as the cap before
            // it (the service may still count one the lane saw end): the probe failed.
            Mark(sent.Attempt, Outcome.Capped);
            _concurrencyBound = _probedFrom;
            _concurrency = Math.Min(_concurrency, _concurrencyBound);
            _probedFrom = 0;
            _admittedAtCap = 0;
            return true;
        }

        if (othersInFlight + 1 > Math.Max(1, _admittedAtOnce))
        {
            // More were in flight than the service has admitted at once: the cap may be what refused.
            Mark(sent.Attempt, Outcome.Capped);
            int bound = Math.Max(1, Math.Max(_admittedAtOnce, othersInFlight));
            _concurrencyRefused = true;
            _admittedAtCap = 0;
            bool lowered = bound < _concurrency;
            _concurrencyBound = Math.Min(_concurrencyBound, bound);
            _concurrency = Math.Min(_concurrency, _concurrencyBound);
            return lowered;
        }

        return null;
    }

    private void SetConcurrencyCeiling(int? ceiling)
    {
        _concurrencyCeiling = ceiling;
        _concurrencyBound = ceiling ?? int.MaxValue;
    }
}
