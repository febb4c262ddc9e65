namespace Pacer;

/// <summary>The bounds an adaptive lane keeps on the service's rate, from its starts and their outcomes.</summary>
internal sealed partial class AdaptiveRate
{
    /// <summary>
    /// How far under the close bounds the base holds: each refusal there, not a probe, while the
    /// bounds still fit, means the lane's starts come less evenly than the service's bucket allows
    /// (a bucket with no burst refuses a start a millisecond early), and takes it a step further.
    /// </summary>
    private double _holdUnder = 1;

    /// <summary>Bounds closer than this ratio are close: the base is near them, not between them.</summary>
    private double Close => (1 + (2 * _options.Margin)) * (1 + (2 * _options.Margin));

    /// <summary>
    /// The base: while the bounds are far apart, the middle of them (or the upper's cut, if higher:
    /// a weak lower bound says little); once close, just over the lower (the rate a refused request
    /// was sent at may be far over the service's, when its bucket is deep), or under the upper. A
    /// service with no burst shows both bounds exactly, with every start: the middle, until they meet.
    /// </summary>
    private void Aim()
    {
        double margin = _options.Margin;
        _base = Math.Min(_ceiling, _lower <= 0 ? _upper * (1 - margin)
            : _upper > _lower * Close ? Math.Max(Math.Sqrt(_lower * _upper), _upper * _options.DecreaseFactor)
            : _holdUnder * (_burstAtMost == 1 ? (_upper > _lower * (1 + (margin / 3)) ? Math.Sqrt(_lower * _upper) : _lower)
                : Math.Max(_lower, Math.Min(_upper * (1 - margin), _lower * (1 + (margin / 3))))));
        _heldAtBase = 0;
    }

    /// <summary>How many starts before the attempt numbered <paramref name="attempt"/> were not refused, or 0 if they are no longer all kept.</summary>
    private long NotRefusedBefore(long attempt)
    {
        if (attempt > SentKept)
        {
            return 0;
        }

        long count = 0;
        for (long a = 1; a < attempt; a++)
        {
            count += _sent[a & (SentKept - 1)].Outcome is Outcome.Refused or Outcome.Capped ? 0 : 1;
        }

        return count;
    }

    /// <summary>
    /// The rate the admitted starts up to this one show the service admits at least: K of them over
    /// the time from the first to the last, less the bucket's most, over the time (0 when its most is
    /// not known, or deep).
    /// </summary>
    private double AdmittedAtLeast(Sent sent)
    {
        if (_burstAtMost is <= 0 or > LookBack / 8)
        {
            // Unknown, or too deep for a stretch of LookBack starts to say much.
            return 0;
        }

        double best = 0;
        long admitted = 1;
        for (long a = sent.Attempt - 1; a > _evidenceAfter && a > sent.Attempt - LookBack; a--)
        {
            SentRecord record = _sent[a & (SentKept - 1)];
            if (record.Attempt != a)
            {
                break;
            }

            if (record.Outcome == Outcome.Admitted && ++admitted > _burstAtMost && record.At < sent.At)
            {
                best = Math.Max(best, (admitted - _burstAtMost) / ((double)(sent.At - record.At) / _frequency));
            }
        }

        return best;
    }

    /// <summary>Records the outcome of the attempt numbered <paramref name="attempt"/>; whether it is still kept.</summary>
    private bool Mark(long attempt, Outcome outcome)
    {
        if (attempt <= 0 || _sent[attempt & (SentKept - 1)].Attempt != attempt)
        {
            return false;
        }

        _sent[attempt & (SentKept - 1)] = _sent[attempt & (SentKept - 1)] with { Outcome = outcome };
        return true;
    }

    /// <summary>
    /// The least of (N + 1) / T over the kept starts before the refused one, back to where the
    /// service's bucket may have run empty: T from that start to the refused one, N the starts in
    /// between not refused. Between them the bucket only filled by N and drained by r T, and it was
    /// full at the refusal, so r is under each. It may have run empty only before an admitted start
    /// at least 1/r after the admitted one before it; the walk stops there. The nearest start alone
    /// gives one over the gap, true for any bucket. All kept ones refused: their rate.
    /// </summary>
    private (double Gap, double Counted) UpperBounds(Sent sent)
    {
        const double Slack = 0.002;
        double gap = double.NaN;
        double counted = double.PositiveInfinity;
        long between = 0;
        long admittedAfterAt = long.MinValue;
        for (long a = sent.Attempt - 1; a > 0 && a > sent.Attempt - SentKept; a--)
        {
            SentRecord record = _sent[a & (SentKept - 1)];
            if (record.Attempt != a)
            {
                break;
            }

            if (record.Outcome is Outcome.Refused or Outcome.Capped)
            {
                continue;
            }

            double seconds = (double)(sent.At - record.At) / _frequency;
            if (seconds <= 0)
            {
                return (sent.Rate, sent.Rate);
            }

            if (double.IsNaN(gap))
            {
                gap = Math.Min(_ceiling, 1 / seconds);
            }

            if (record.Outcome == Outcome.Admitted)
            {
                if (admittedAfterAt != long.MinValue && ((double)(admittedAfterAt - record.At) / _frequency) + Slack >= 1 / counted)
                {
                    // The bucket may have run empty before the admitted start after this one.
                    break;
                }

                admittedAfterAt = record.At;
            }

            counted = Math.Min(counted, (between + 1) / Math.Max(seconds - Slack, seconds / 2));
            between++;
        }

        return double.IsNaN(gap) ? (sent.Rate, sent.Rate) : (gap, Math.Min(gap, Math.Min(_ceiling, counted)));
    }

    /// <summary>
    /// The most that the starts admitted since each kept refusal, up to the start at
    /// <paramref name="until"/>, say the service admits: less the one token its bucket may have
    /// held at the refusal (and one more for an answer that overtook another), over the time since.
    /// 0 when none says anything.
    /// </summary>
    private double LowerBound(long attempt, long until)
    {
        double lower = 0;
        for (int i = 0; i < _anchorCount; i++)
        {
            Anchor anchor = _anchors[(_anchorNext - 1 - i + AnchorsKept) % AnchorsKept];
            if (anchor.Attempt < attempt && anchor.At < until)
            {
                lower = Math.Max(lower, (anchor.Admitted - 2) / ((double)(until - anchor.At) / _frequency));
            }
        }

        return lower;
    }

    /// <summary>Without the refused attempt's record: its rate above, and the good outcomes since the last refusal, over the time since, below.</summary>
    private (double Upper, double Lower) Counted(Sent sent, long now)
    {
        double seconds = _lastRefusalAt == long.MinValue ? 0 : (double)(now - _lastRefusalAt) / _frequency;
        return (sent.Rate, _admittedSinceRefusal >= SampleAtLeast && seconds > 0 ? _admittedSinceRefusal / seconds : 0);
    }

    /// <summary>A refusal that steered the rate, and how many of the lane's later starts have been admitted since.</summary>
    private struct Anchor(long attempt, long at)
    {
        public readonly long Attempt = attempt;
        public readonly long At = at;
        public long Admitted;
    }

    private enum Outcome : byte
    {
        Unknown,
        Admitted,
        Refused,

        /// <summary>Refused, most likely by the concurrency cap: says nothing of the rate.</summary>
        Capped,
    }
}
