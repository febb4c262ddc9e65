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
/// The rate: the service's rate lies between two bounds that the lane keeps from its starts and
/// their outcomes (AdaptiveRate.Bounds.cs). Above: a refused request was sent faster than the service
/// refills, counted from the last start before it that was not refused. Below: what the service
/// admitted since an earlier refusal, when its bucket was empty, over the time since; and, once its
/// bucket is known to be shallow (what it admitted before its first refusal), what it admitted over
/// any stretch. Tighter than both, while the lane keeps every start since its first: the rates at
/// which a bucket fits every outcome seen (AdaptiveRate.Fit.cs). After a refusal the lane restarts
/// from the lower bound (or a cut of the upper, by <see cref="AdaptiveOptions.DecreaseFactor"/>)
/// and climbs a step with each admitted request to its base: the middle of the bounds while they
/// are far apart, stepping up after a few admitted requests there; once close, just over the lower
/// bound or under the upper (<see cref="AdaptiveOptions.Margin"/>), and a step further under for
/// each refusal there. It then holds (when the bounds fit, for
/// <see cref="AdaptiveOptions.ProbeEvery"/> admitted requests first), probing upward slowly enough
/// that the next refusal is some <see cref="AdaptiveOptions.ProbeEvery"/> admitted requests away
/// (further, while probes keep failing at the same base), and faster the longer the service keeps
/// admitting, to find a raised limit. A refusal of a request sent before the last decrease belongs to the same
/// episode and counts once. A refusal at a rate the service was shown to admit means it admits
/// less now: what it admitted before is forgotten.
/// </para>
/// <para>
/// The concurrency: it starts at two (or the ceiling, if lower) and grows by one with each request
/// that ends well at the cap (doubling about once a round trip) until a refusal bounds it; then it
/// probes one higher after <see cref="AdaptiveOptions.ProbeEvery"/> admitted requests at the cap,
/// and a refusal before a request is admitted above the old cap takes the probe back.
/// </para>
/// </remarks>
internal sealed partial class AdaptiveRate
{
    /// <summary>Admitted requests since the last refusal needed before their count estimates the rate.</summary>
    private const int SampleAtLeast = 3;

    /// <summary>Admitted requests at or above the base before a refusal just above it leaves the base where it is.</summary>
    private const int BaseKeptAtLeast = 10;

    /// <summary>How many starts are kept for their outcomes (a power of two); an outcome later than that is judged by the lane's state then.</summary>
    private const int SentKept = 1024;

    /// <summary>How much the rate grows with each request admitted while it recovers toward the base after a decrease.</summary>
    private const double RecoverStep = 0.1;

    /// <summary>The furthest apart probes of a base that keeps refusing them spread, in ProbeEvery.</summary>
    private const double MaxProbeSpread = 4;

    /// <summary>Admitted requests at the base, while the bounds are far apart, before the base steps up to the middle of it and the upper bound.</summary>
    private const int StepAfter = 5;

    /// <summary>How many starts back an admitted one looks for what the service admitted before it.</summary>
    private const int LookBack = 64;

    /// <summary>How many of the last refusals that steered the rate are kept as anchors for the rate's lower bound.</summary>
    private const int AnchorsKept = 8;

    private readonly SentRecord[] _sent = new SentRecord[SentKept];
    private readonly Anchor[] _anchors = new Anchor[AnchorsKept];
    private int _anchorNext;

    /// <summary>What the service is known to admit, and not to: its rate lies between them. 0 and infinity before they are known.</summary>
    private double _lower;
    private double _upper = double.PositiveInfinity;

    /// <summary>The most the service's bucket holds (what it admitted before its first refusal), or 0 when not known.</summary>
    private long _burstAtMost;

    /// <summary>The attempt at which the service was found to admit less than before; what was admitted up to it is no evidence.</summary>
    private long _evidenceAfter;
    private int _heldAtBase;

    /// <summary>How much further apart than ProbeEvery the probes are: they spread while they fail at the same base.</summary>
    private double _probeSpread = 1;

    private int _anchorCount;

    private readonly long _frequency;
    private AdaptiveOptions _options;
    private double _ceiling;
    private double _rate;
    private long _updatedAt;
    private long _lastSentAt = long.MinValue;

    /// <summary>The rate the lane climbs back to after a decrease and holds, or 0 before the first refusal.</summary>
    private double _base;
    private long _lastRefusalAt = long.MinValue;
    private long _admittedSinceRefusal;

    private long _calm;
    private long _calmSince = long.MinValue;
    private bool _unsure;

    private double _appliedRate = double.NaN;
    private int _appliedConcurrency;

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

    /// <summary>What the lane knows of the service's rate: it admits at least the lower, and less than the upper (0 and infinity before known).</summary>
    internal (double Lower, double Upper) Bounds => (_lower, _upper);

    /// <summary>The effective rate now, hint caps included.</summary>
    public double Rate(long now) => now < _hintCapUntil ? Math.Min(_rate, _hintCap) : _rate;

    public double Ceiling => _ceiling;

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
        _sent[attempt & (SentKept - 1)] = new SentRecord(attempt, now, rate, othersInFlight, Outcome.Unknown);
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
        _firstAnsweredAt = sent.Attempt == 1 ? now : _firstAnsweredAt;
        for (int i = 0; i < _anchorCount; i++)
        {
            ref Anchor anchor = ref _anchors[(_anchorNext - 1 - i + AnchorsKept) % AnchorsKept];
            if (anchor.Attempt < sent.Attempt)
            {
                anchor.Admitted++;
            }
        }

        if (Mark(sent.Attempt, Outcome.Admitted) && _upper > _lower && _rate <= _base
            && Math.Max(AdmittedAtLeast(sent), LowerBound(sent.Attempt + 1, sentAt)) is var admitted && admitted > _lower)
        {
            // A stronger lower bound moves the base up, never down.
            double was = _base;
            _lower = admitted;
            Aim();
            _base = Math.Max(was, _base);
        }

        if (sentAt > _lastRefusalAt)
        {
            _admittedSinceRefusal++;
            if (_rate < _base)
            {
                // Back toward the base by a step for each request admitted since the decrease: as
                // fast as the service shows it admits, not by the clock.
                _rate = Math.Min(_base, _rate * (1 + RecoverStep));
            }
        }

        if (_base > 0 && _rate >= _base)
        {
            _calm++;
            if (sentAt > _lastRefusalAt && ++_heldAtBase >= StepAfter && _upper > _base * Close)
            {
                // Held the base this long while the bounds are far apart: the service admits it,
                // most likely; the next step of the search is the middle of it and the upper bound.
                _base = Math.Min(_ceiling, Math.Sqrt(_base * _upper));
                _heldAtBase = 0;
            }
        }

        OnSuccessInFlight(othersInFlight);
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
        long sentAt = sent.At;
        Advance(now);
        _firstAnsweredAt = sent.Attempt == 1 ? now : _firstAnsweredAt;
        bool kept = Mark(sent.Attempt, Outcome.Refused);
        if (RefusedByCap(sent) is bool changed)
        {
            return changed;
        }

        if (sentAt <= _lastRefusalAt)
        {
            return false;
        }

        // The service's rate r lies between two bounds. Above: r is under the rate this request was
        // sent at, one over the time since the last start before it not refused (that start left the
        // bucket at zero or more, and it did not refill to one), and under what was not refused over
        // longer stretches before it (UpperBounds). Below: what was admitted since an earlier
        // refusal, less the one token the bucket may have held then, over the time since.
        double gapUpper, upper, lower;
        if (kept)
        {
            (gapUpper, upper) = UpperBounds(sent);
            lower = LowerBound(sent.Attempt, sentAt);
        }
        else
        {
            (upper, lower) = Counted(sent, now);
            gapUpper = upper;
        }

        bool fits = false;
        if (kept && FitBucket(sent.Attempt, lower * (1 - _options.Margin), upper) is (double fitLow, double fitHigh))
        {
            // A bucket fits every outcome so far only at rates in this range: the service's is there.
            upper = Math.Min(upper, fitHigh * (1 + FitTolerance));
            lower = Math.Max(lower, fitLow * (1 - FitTolerance));
            fits = true;
        }

        _fitted = fits;
        double margin = _options.Margin;
        if (_lastRefusalAt == long.MinValue && kept)
        {
            // The service's bucket held no more than what it admitted before its first refusal.
            _burstAtMost = NotRefusedBefore(sent.Attempt);
        }

        if (!fits && (_lower >= gapUpper * (1 - (margin / 3)) || _lower > upper * (1 + margin)))
        {
            // Refused at what the service was shown to admit: it admits less than it did, and
            // what it admitted before says nothing now.
            _lower = 0;
            _evidenceAfter = sent.Attempt;
        }

        if (!fits && lower >= gapUpper * (1 - (margin / 3)))
        {
            _anchorCount = 0;
            lower = 0;
        }

        if (_base > 0 && sent.Rate > _base * 1.002 && upper <= _base * (1 + (2 * margin)) && _calm >= BaseKeptAtLeast && Math.Max(lower, _lower) >= _base * (1 - (margin / 3)))
        {
            // A probe just above a base the service kept admitting failed (the request was sent
            // above the base): the limit lies between them. Back under the base, and hold it. Each
            // failed probe of the same base spreads the next ones further apart: up to twice as far,
            // at a fourth of the climb.
            _upper = upper;
            if (fits && lower > _lower)
            {
                // The outcomes since narrowed the bounds: the base moves to them.
                _lower = lower;
                Aim();
            }

            _rate = Math.Min(_rate, _base * (1 - margin));
            _unsure = false;
            _probeSpread = Math.Min(MaxProbeSpread, _probeSpread * 1.5);
        }
        else
        {
            // Start back from the lower bound, or a cut of the upper, and climb with each admitted
            // request to the base (Aim).
            if (fits && _base > 0 && sent.Rate <= _base * 1.002 && !(_upper > _lower * Close))
            {
                _holdUnder = Math.Max(1 - margin, _holdUnder * (1 - (margin / 3)));
            }

            _upper = upper;
            _lower = Math.Max(_lower, lower);
            _probeSpread = 1;
            Aim();
            _rate = Math.Min(_rate, Math.Max(_lower, upper * _options.DecreaseFactor));
            _unsure = !kept && upper > lower * (1 + (4 * margin));
        }

        _rate = Math.Max(Math.Min(_rate, _base), _ceiling * _options.MinFraction);
        _lastRefusalAt = now;
        _admittedSinceRefusal = 0;
        _calm = 0;
        _calmSince = long.MinValue;
        if (kept)
        {
            _anchors[_anchorNext] = new Anchor(sent.Attempt, sentAt);
            _anchorNext = (_anchorNext + 1) % AnchorsKept;
            _anchorCount = Math.Min(AnchorsKept, _anchorCount + 1);
        }

        return true;
    }

    /// <summary>How an attempt was sent: when, with how many others in flight, at what rate.</summary>
    /// <param name="Attempt">The lane's attempt number, counting every start; -1 when not known.</param>
    /// <param name="At">When it started (a timestamp).</param>
    /// <param name="OthersInFlight">How many other attempts of the lane were running then.</param>
    /// <param name="Rate">The rate it was sent at.</param>
    internal readonly record struct Sent(long Attempt, long At, int OthersInFlight, double Rate);

    private readonly record struct SentRecord(long Attempt, long At, double Rate, int OthersInFlight, Outcome Outcome);
}
