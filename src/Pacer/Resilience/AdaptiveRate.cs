namespace Pacer;

/// <summary>
/// What an adaptive lane (see <see cref="AdaptiveOptions"/>) has learned of a service's hidden
/// limits: the rate it runs at, in units per second, and the concurrency. Driven by attempts and
/// their outcomes; pure arithmetic on timestamps: the engine applies what it returns to the lane's
/// gate. Not thread-safe: the engine lock guards it.
/// </summary>
/// <remarks>
/// <para>
/// A refusal (429) comes from either limit, so each is first told apart: a refusal of a request sent
/// while no more were in flight than the service has already admitted at once cannot be the
/// concurrency cap, and is the rate's. Any other refusal bounds the concurrency at what was in
/// flight, and leaves the rate alone; if the rate was at fault, the next refusal says so.
/// </para>
/// <para>
/// The rate: a service's bucket is full whenever it refuses, so what it admitted between two
/// refusals is its rate over that span, exactly when its bucket never ran empty and a lower bound
/// otherwise; and the rate the refused request was sent at bounds it from above. After a refusal
/// the lane falls under the lower of the two and comes back within about half a second to just
/// under the limit they bracket (<see cref="AdaptiveOptions.Margin"/>). It then holds, probing upward
/// slowly enough that the next refusal is some <see cref="AdaptiveOptions.ProbeEvery"/> admitted
/// requests away, and faster the longer the service keeps admitting, to find a raised limit. A
/// refusal of a request sent before the last decrease belongs to the same episode and counts
/// once. With nothing learned yet, a refusal cuts the rate by <see cref="AdaptiveOptions.DecreaseFactor"/>.
/// </para>
/// <para>
/// The concurrency: it starts at two (or the ceiling, if lower) and grows by one each time as many
/// requests as it allows end well at the cap, until a refusal bounds it; then it probes one higher
/// after <see cref="AdaptiveOptions.ProbeEvery"/> admitted requests at the cap.
/// </para>
/// </remarks>
internal sealed class AdaptiveRate
{
    /// <summary>How long the rate takes to come back near the limit after a decrease.</summary>
    private const double ApproachSeconds = 0.5;

    /// <summary>How often the probe's climb doubles, unsure of the base, while the service keeps admitting.</summary>
    private const double UnsureDoublingSeconds = 2;

    /// <summary>Admitted requests since the last refusal needed before their count estimates the rate.</summary>
    private const int SampleAtLeast = 3;

    /// <summary>Admitted requests between two refusals that make their count the service's rate.</summary>
    private const int CountedAtLeast = 10;

    /// <summary>Admitted requests at or above the base before a refusal just above it leaves the base where it is.</summary>
    private const int BaseKeptAtLeast = 10;

    /// <summary>How many starts are kept for their outcomes (a power of two); an outcome later than that is judged by the lane's state then.</summary>
    private const int SentKept = 512;

    private readonly SentRecord[] _sent = new SentRecord[SentKept];

    private readonly long _frequency;
    private AdaptiveOptions _options;
    private double _ceiling;
    private double _rate;
    private long _updatedAt;
    private long _lastSentAt = long.MinValue;

    /// <summary>The rate the lane holds at once back from a decrease, or 0 before the first refusal.</summary>
    private double _base;
    private long _lastRefusalAt = long.MinValue;
    private long _admittedSinceRefusal;

    /// <summary>The attempt number and start of the last refused request that steered the rate, or -1.</summary>
    private long _refusedAttempt = -1;
    private long _refusedSentAt;

    /// <summary>Refusals of requests started after <see cref="_refusedAttempt"/>.</summary>
    private long _refusedSince;
    private long _calm;
    private long _calmSince = long.MinValue;
    private bool _unsure;

    private double _appliedRate = double.NaN;
    private int _appliedConcurrency;
    private int? _concurrencyCeiling;
    private int _concurrency;
    private int _admittedAtOnce;
    private int _concurrencyBound;
    private int _admittedAtCap;
    private bool _concurrencyRefused;

    /// <summary>A cap from a remaining/reset hint, valid until <see cref="_hintCapUntil"/>.</summary>
    private double _hintCap = double.PositiveInfinity;
    private long _hintCapUntil = long.MinValue;

    public AdaptiveRate(AdaptiveOptions options, double ceiling, int? concurrencyCeiling, long timestampFrequency, long now)
    {
        _options = options;
        _frequency = timestampFrequency;
        _ceiling = ceiling;
        _rate = ceiling * options.StartFraction;
        _updatedAt = now;
        SetConcurrencyCeiling(concurrencyCeiling);
        _concurrency = Math.Min(_concurrencyBound, 2);
    }

    /// <summary>The effective rate now, hint caps included.</summary>
    public double Rate(long now) => now < _hintCapUntil ? Math.Min(_rate, _hintCap) : _rate;

    public double Ceiling => _ceiling;

    /// <summary>The concurrency learned, or null when the lane's concurrency is not learned.</summary>
    public int? Concurrency => _options.AdaptConcurrency && _concurrencyCeiling is not null ? _concurrency : null;

    /// <summary>What the lane is doing with its rate now.</summary>
    public AdaptivePhase Phase(long now)
    {
        double rate = Rate(now);
        return _base == 0 ? AdaptivePhase.Starting
            : rate < _base * (1 - (_options.Margin / 2)) ? AdaptivePhase.Recovering
            : rate <= _base * (1 + _options.Margin) ? AdaptivePhase.Holding
            : AdaptivePhase.Probing;
    }

    public void Reconfigure(AdaptiveOptions options, double ceiling, int? concurrencyCeiling)
    {
        _options = options;
        _ceiling = ceiling;
        _rate = Math.Min(_rate, ceiling);
        SetConcurrencyCeiling(concurrencyCeiling);
        _concurrency = Math.Min(_concurrency, _concurrencyBound);
    }

    /// <summary>
    /// The lane's attempt number <paramref name="attempt"/> starts with <paramref name="othersInFlight"/>
    /// others running: advances the rate to now, and keeps how it was sent for its outcome.
    /// </summary>
    public void OnStarted(long now, long attempt, int othersInFlight)
    {
        Advance(now);
        double rate = _rate;
        if (_lastSentAt != long.MinValue && now > _lastSentAt)
        {
            // The gap from the previous start, if shorter, is the rate this one was really sent at.
            rate = Math.Min(rate, (double)_frequency / (now - _lastSentAt));
        }

        _lastSentAt = now;
        _sent[attempt & (SentKept - 1)] = new SentRecord(attempt, rate, othersInFlight);
    }

    /// <summary>
    /// How the attempt numbered <paramref name="attempt"/> (or -1) was sent; if it is no longer
    /// kept, what the lane has now stands in for it.
    /// </summary>
    public Sent SentAs(long attempt, long sentAt, int runningNow, long now)
    {
        SentRecord kept = attempt >= 0 ? _sent[attempt & (SentKept - 1)] : default;
        return kept.Attempt == attempt && attempt > 0
            ? new Sent(attempt, sentAt, kept.OthersInFlight, kept.Rate)
            : new Sent(-1, sentAt, runningNow, Rate(now));
    }

    /// <summary>A good outcome of an attempt sent as <paramref name="sent"/> says.</summary>
    /// <returns>Whether the rate or the concurrency changed.</returns>
    public bool OnSuccess(long now, Sent sent)
    {
        (long sentAt, int othersInFlight) = (sent.At, sent.OthersInFlight);
        Advance(now);
        if (sentAt > _lastRefusalAt)
        {
            _admittedSinceRefusal++;
        }

        if (_base > 0 && _rate >= _base)
        {
            _calm++;
        }

        _admittedAtOnce = Math.Max(_admittedAtOnce, othersInFlight + 1);
        if (othersInFlight + 1 >= _concurrency)
        {
            // Each ends well at the cap: before any refusal the cap doubles about once a round trip; after, it probes.
            _admittedAtCap++;
            int needed = _concurrencyRefused ? Math.Max(_concurrency, _options.ProbeEvery) : _concurrency;
            if (_admittedAtCap >= needed)
            {
                _admittedAtCap = 0;
                if (_concurrency >= _concurrencyBound && _concurrencyRefused && _concurrencyBound < (_concurrencyCeiling ?? int.MaxValue))
                {
                    _concurrencyBound++;
                }

                _concurrency = Math.Min(_concurrencyBound, _concurrency + 1);
            }
        }

        return IsStale;
    }

    /// <summary>Whether the rate or the concurrency moved since the engine last applied them (<see cref="Applied"/>).</summary>
    public bool IsStale => _rate != _appliedRate || _concurrency != _appliedConcurrency;

    /// <summary>The engine applied the rate and concurrency in force to the lane's gate.</summary>
    public void Applied()
    {
        _appliedRate = _rate;
        _appliedConcurrency = _concurrency;
    }

    /// <summary>A refusal of an attempt sent as <paramref name="sent"/> says.</summary>
    /// <returns>Whether the rate or the concurrency changed.</returns>
    public bool OnRateLimited(long now, Sent sent)
    {
        (long sentAt, int othersInFlight, double sentAtRate) = (sent.At, sent.OthersInFlight, sent.Rate);
        Advance(now);
        if (sent.Attempt > _refusedAttempt)
        {
            _refusedSince++;
        }

        if (othersInFlight + 1 > Math.Max(1, _admittedAtOnce))
        {
            // More were in flight than the service has admitted at once: the cap may be what refused.
            int bound = Math.Max(1, Math.Max(_admittedAtOnce, othersInFlight));
            _concurrencyRefused = true;
            _admittedAtCap = 0;
            bool lowered = bound < _concurrency;
            _concurrencyBound = Math.Min(_concurrencyBound, bound);
            _concurrency = Math.Min(_concurrency, _concurrencyBound);
            return lowered;
        }

        if (sentAt <= _lastRefusalAt)
        {
            return false;
        }

        // What the service admitted between the last refused request and this one, both met with its
        // bucket full: every start between them not refused (those still in flight are presumed
        // admitted), over the time between their starts. Without their numbers: the good outcomes
        // since the last refusal.
        (long count, double seconds) = sent.Attempt > 0 && _refusedAttempt > 0
            ? (sent.Attempt - _refusedAttempt - _refusedSince, (double)(sentAt - _refusedSentAt) / _frequency)
            : (_admittedSinceRefusal, _lastRefusalAt == long.MinValue ? 0 : (double)(now - _lastRefusalAt) / _frequency);
        double margin = _options.Margin;
        bool counted = count >= SampleAtLeast && seconds > 0;
        if (_base > 0 && sentAtRate > _base && sentAtRate <= _base * (1 + (2 * margin)) && _calm >= BaseKeptAtLeast
            && (!counted || count / seconds >= _base * (1 - margin)))
        {
            // A probe just above a base the service kept admitting failed: the limit lies between
            // them. Back under the base, and hold it.
            _rate = Math.Min(_rate, _base * (1 - margin));
            _unsure = false;
        }
        else if (counted)
        {
            // Admitted while the service's bucket went from full to full: its rate, or under it
            // (if the bucket ran empty on the way). Counted over enough requests, it is the rate;
            // over a few, the lane goes halfway to the refused request's rate.
            double admitted = count / seconds;
            double above = count >= CountedAtLeast ? admitted : Math.Min(sentAtRate, admitted * (1 + (4 * margin)));
            _base = (above + admitted) / 2 * (1 - margin);
            _rate = Math.Min(_rate, admitted * (1 - margin));
            _unsure = sentAtRate > admitted * (1 + (4 * margin));
        }
        else
        {
            _base = sentAtRate * (1 - margin);
            _rate = sentAtRate * _options.DecreaseFactor;
            _unsure = true;
        }

        _base = Math.Min(_base, _ceiling);
        _rate = Math.Max(_rate, _ceiling * _options.MinFraction);
        _lastRefusalAt = now;
        _admittedSinceRefusal = 0;
        _refusedAttempt = sent.Attempt;
        _refusedSentAt = sentAt;
        _refusedSince = 0;
        _calm = 0;
        _calmSince = long.MinValue;
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
            _rate += (_base - _rate) * Math.Min(1, seconds / ApproachSeconds);
            if (_rate >= _base * 0.995)
            {
                _rate = _base;
            }

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

        double doublings = _calm / (double)_options.ProbeEvery;
        if (_unsure)
        {
            doublings = Math.Max(doublings, (double)(now - _calmSince) / _frequency / UnsureDoublingSeconds);
        }

        double climb = _options.Margin * _base * _base / _options.ProbeEvery * Math.Pow(2, Math.Min(30, doublings));
        _rate = Math.Min(_ceiling, _rate + (climb * seconds));
    }

    private void SetConcurrencyCeiling(int? ceiling)
    {
        _concurrencyCeiling = ceiling;
        _concurrencyBound = ceiling ?? int.MaxValue;
    }

    /// <summary>How an attempt was sent: when, with how many others in flight, at what rate.</summary>
    /// <param name="Attempt">The lane's attempt number, counting every start; -1 when not known.</param>
    /// <param name="At">When it started (a timestamp).</param>
    /// <param name="OthersInFlight">How many other attempts of the lane were running then.</param>
    /// <param name="Rate">The rate it was sent at.</param>
    internal readonly record struct Sent(long Attempt, long At, int OthersInFlight, double Rate);

    private readonly record struct SentRecord(long Attempt, double Rate, int OthersInFlight);
}
