namespace Pacer;

/// <summary>
/// The rates at which a bucket explains every outcome the lane has seen since its first start:
/// each admitted start fits in it, each refused one does not.
/// </summary>
/// <remarks>
/// A service's rate limit is a bucket of some rate r and whole depth b that each admitted request
/// fills by one and that drains at r; a request that would overfill it is refused. Given r, the
/// level each start finds follows from the admitted starts before it, so the depth is at least the
/// level of every admitted start and under that of every refused one. Both levels fall as r grows,
/// so for each depth the rates that fit form an interval, found by bisection: the highest rate that
/// fits is the top of the shallowest depth's interval, the lowest the bottom of the deepest's. Two
/// kinds of bucket are tried: nginx's limit_req (no excess for a first request, and the level after
/// an admitted one may be under one) and the token bucket or GCRA (at least one), allowing each
/// start a little jitter on its way, and the first more. Outcomes not yet
/// known count as admitted for the level and bound nothing; refusals by the concurrency cap are
/// left out.
/// </remarks>
internal sealed partial class AdaptiveRate
{
    /// <summary>How much earlier, in seconds, a start may reach the service than its timestamp says (the clocks' grain).</summary>
    private const double FitJitterSeconds = 0.002;

    /// <summary>
    /// How much later, in seconds, an admitted start may reach the service than its timestamp says:
    /// one sent on a connection opened for it waits for the connection. A late arrival leaves the
    /// bucket more time to drain, so only the admitted starts' levels need the allowance.
    /// </summary>
    private const double FitLateSeconds = 0.010;

    /// <summary>How far outside the rates that fit the service's may still be, as a share of them.</summary>
    private const double FitTolerance = 0.001;

    /// <summary>How many depths are tried from either end before the fit gives up.</summary>
    private const int FitDepthsTried = 64;

    /// <summary>Whether the outcomes stopped fitting any bucket: the service changed its limit, or keeps none.</summary>
    private bool _fitBroken;

    /// <summary>Whether the bounds at the last refusal that steered the rate came from the fit.</summary>
    private bool _fitted;

    /// <summary>When the lane's first request was answered (a timestamp), or long.MinValue before.</summary>
    private long _firstAnsweredAt = long.MinValue;

    /// <summary>
    /// How late, at most, the lane's first request may have reached the service, in seconds: up to its
    /// answer (a cold start can hold it back tens of milliseconds). Every level the fit finds after it
    /// may be that much drain too low, until the bucket runs empty.
    /// </summary>
    private double _firstLateSeconds;

    /// <summary>
    /// The range of rates, within [<paramref name="below"/>, <paramref name="above"/>], at which a
    /// bucket fits every outcome kept up to the attempt numbered <paramref name="until"/>; null when
    /// the lane no longer keeps its first start, or no rate fits.
    /// </summary>
    internal (double Low, double High)? FitBucket(long until, double below, double above)
    {
        if (_fitBroken || until >= SentKept || _evidenceAfter > 0)
        {
            return null;
        }

        _firstLateSeconds = (double)((_firstAnsweredAt == long.MinValue ? _sent[until & (SentKept - 1)].At : _firstAnsweredAt) - _sent[1].At) / _frequency;
        double low = Math.Max(_ceiling * _options.MinFraction, below);
        double high = Math.Min(_ceiling, above);
        if (!(high > low))
        {
            return null;
        }

        (double Low, double High)? nginx = FitBucket(until, low, high, levelAtLeastOne: false);
        (double Low, double High)? token = FitBucket(until, low, high, levelAtLeastOne: true);
        if (nginx is null && token is null)
        {
            _fitBroken = true;
            return null;
        }

        // At the bottom of the range, the fit says nothing more of the lower bound.
        double fitLow = Math.Min(nginx?.Low ?? double.PositiveInfinity, token?.Low ?? double.PositiveInfinity);
        return (fitLow <= low * (1 + FitTolerance) ? 0 : fitLow, Math.Max(nginx?.High ?? 0, token?.High ?? 0));
    }

    private (double Low, double High)? FitBucket(long until, double low, double high, bool levelAtLeastOne)
    {
        (double Admitted, double Refused) atLow = Levels(low, until, levelAtLeastOne);
        (double Admitted, double Refused) atHigh = Levels(high, until, levelAtLeastOne);

        // The highest rate that fits: from the shallowest depth that the admitted starts allow at
        // the top of the range, deeper until a depth's interval is not empty.
        double fitHigh = double.NaN;
        long depth = Math.Max(0, (long)Math.Ceiling(atHigh.Admitted));
        for (int i = 0; i < FitDepthsTried && double.IsNaN(fitHigh) && atLow.Refused > depth; i++, depth++)
        {
            (double from, double to) = Interval(depth, until, (low, atLow), (high, atHigh), levelAtLeastOne);
            fitHigh = from < to ? to : double.NaN;
        }

        // The lowest: from the deepest depth that the refused starts allow at the bottom of the
        // range, shallower until a depth's interval is not empty.
        double fitLow = double.NaN;
        depth = (long)Math.Ceiling(atLow.Refused) - 1;
        for (int i = 0; i < FitDepthsTried && double.IsNaN(fitLow) && depth >= 0 && !double.IsNaN(fitHigh); i++, depth--)
        {
            (double from, double to) = Interval(depth, until, (low, atLow), (high, atHigh), levelAtLeastOne);
            fitLow = from < to ? from : double.NaN;
        }

        return double.IsNaN(fitHigh) || double.IsNaN(fitLow) ? null : (fitLow, fitHigh);
    }

    /// <summary>The rates within the range at which a bucket of this depth fits: from the least the admitted starts allow to the most the refused ones do.</summary>
    private (double From, double To) Interval(
        long depth, long until, (double Rate, (double Admitted, double Refused) Levels) low, (double Rate, (double Admitted, double Refused) Levels) high, bool levelAtLeastOne)
    {
        double from = low.Levels.Admitted <= depth ? low.Rate
            : high.Levels.Admitted > depth ? double.PositiveInfinity
            : Boundary(low.Rate, high.Rate, rate => Levels(rate, until, levelAtLeastOne).Admitted <= depth);
        double to = high.Levels.Refused > depth ? high.Rate
            : low.Levels.Refused <= depth ? 0
            : Boundary(low.Rate, high.Rate, rate => !(Levels(rate, until, levelAtLeastOne).Refused > depth));
        return (from, to);
    }

    /// <summary>Where <paramref name="holds"/>, false at <paramref name="low"/> and true at <paramref name="high"/>, turns true (bisection in ratio).</summary>
    private static double Boundary(double low, double high, Func<double, bool> holds)
    {
        while (high / low > 1 + (FitTolerance / 10))
        {
            double middle = Math.Sqrt(low * high);
            (low, high) = holds(middle) ? (low, middle) : (middle, high);
        }

        return high;
    }

    /// <summary>
    /// At this rate, the most level an admitted start found (less the jitter's), and the least a
    /// refused one did (plus the jitter's), over the outcomes kept up to the attempt numbered
    /// <paramref name="until"/>.
    /// </summary>
    private (double Admitted, double Refused) Levels(double rate, long until, bool levelAtLeastOne)
    {
        double slack = 1e-6 + (FitJitterSeconds * rate);
        double late = 1e-6 + (FitLateSeconds * rate);
        double level = 0;
        long lastAdmittedAt = long.MinValue;
        double admitted = 0;
        double refused = double.PositiveInfinity;
        for (long a = 1; a <= until; a++)
        {
            SentRecord record = _sent[a & (SentKept - 1)];
            if (record.Outcome == Outcome.Capped)
            {
                continue;
            }

            // nginx keeps no excess for a first request; a token bucket takes its token.
            double asked = lastAdmittedAt == long.MinValue ? (levelAtLeastOne ? 1 : 0)
                : Asked(level - (rate * (record.At - lastAdmittedAt) / _frequency), levelAtLeastOne);
            if (record.Outcome == Outcome.Refused)
            {
                refused = Math.Min(refused, asked + slack + (rate * _firstLateSeconds));
            }
            else
            {
                admitted = record.Outcome == Outcome.Admitted ? Math.Max(admitted, asked - late) : admitted;
                level = Math.Max(asked, 0);
                lastAdmittedAt = record.At;
            }
        }

        return (admitted, refused);
    }

    /// <summary>The level a request would leave the bucket at, from what is left of the last admitted one's.</summary>
    private static double Asked(double drained, bool levelAtLeastOne) => levelAtLeastOne ? Math.Max(drained, 0) + 1 : drained + 1;
}
