namespace Pacer.Tests.Resilience;

/// <summary>
/// The bounds an adaptive lane keeps on a hidden rate, driven start by start against two kinds of
/// bucket: nginx's limit_req and a classic token bucket. Whatever the lane sends, the bounds must
/// hold the service's rate; once it has seen a few refusals, they must be close.
/// </summary>
public sealed class AdaptiveRateBoundsTests
{
    private const long Frequency = 1_000_000;

    [Theory]
    [InlineData(true, 2, 0, 10)]
    [InlineData(true, 2, 5, 10)]
    [InlineData(true, 20, 5, 100)]
    [InlineData(true, 20, 40, 100)]
    [InlineData(true, 150, 20, 500)]
    [InlineData(false, 2, 0, 10)]
    [InlineData(false, 2, 5, 10)]
    [InlineData(false, 20, 5, 100)]
    [InlineData(false, 20, 40, 100)]
    [InlineData(false, 150, 20, 500)]
    public void Bounds_HoldTheHiddenRate_AtEveryRefusal(bool nginx, double rate, int burst, double told)
    {
        var service = new Bucket(rate, burst, nginx);
        var lane = new AdaptiveRate(new AdaptiveOptions(), told, null, Frequency, 0);
        int refusals = 0;
        Drive(lane, service, starts: 800, onRefusal: () =>
        {
            refusals++;
            (double lower, double upper) = lane.Bounds;
            Assert.True(lower <= rate && rate <= upper, $"refusal {refusals}: bounds [{lower:0.000}, {upper:0.000}] miss the hidden {rate}/s");
        });

        Assert.True(refusals >= 2, $"{refusals} refusals");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bounds_CloseOnTheHiddenRate_WithinAFewRefusals(bool nginx)
    {
        // 2 a second with a burst of 5, told five times that. The first two refusals come at once
        // (at the told rate, then half of it); by the fourth the lane knows the rate within 1%,
        // and it gets there within 600 starts.
        var service = new Bucket(2, 5, nginx);
        var lane = new AdaptiveRate(new AdaptiveOptions(), 10, null, Frequency, 0);
        var seen = new List<(double Lower, double Upper)>();
        Drive(lane, service, starts: 600, onRefusal: () => seen.Add(lane.Bounds));

        string all = string.Join(", ", seen.Select(b => $"[{b.Lower:0.000}, {b.Upper:0.000}]"));
        Assert.True(seen.Count >= 4, all);
        Assert.True(seen[3].Lower >= 2 / 1.01 && seen[3].Upper <= 2 * 1.01, $"bounds at each refusal: {all}");
    }

    /// <summary>
    /// Starts one request at a time at the lane's rate; a refusal is answered at once, an admitted
    /// request 50 ms later (with others still in flight, as a lane's are).
    /// </summary>
    private static void Drive(AdaptiveRate lane, Bucket service, int starts, Action onRefusal)
    {
        var answers = new PriorityQueue<(long Attempt, long At, bool Ok), long>();
        long now = 0;
        for (long attempt = 1; attempt <= starts; attempt++)
        {
            lane.OnStarted(now, attempt, othersInFlight: 0);
            bool ok = service.Admits(now);
            answers.Enqueue((attempt, now, ok), ok ? now + (Frequency / 20) : now);
            long next = now + (long)(Frequency / lane.Rate(now));
            while (answers.TryPeek(out var answer, out long due) && due <= next)
            {
                answers.Dequeue();
                AdaptiveRate.Sent sent = lane.SentAs(answer.Attempt, answer.At, 0, due);
                if (answer.Ok)
                {
                    lane.OnSuccess(due, sent);
                }
                else
                {
                    lane.OnRateLimited(due, sent);
                    onRefusal();
                }

                // The rate may have changed with the answer: the next start keeps to it.
                next = Math.Max(due, Math.Min(next, due + (long)(Frequency / lane.Rate(due))));
            }

            now = next;
        }
    }

    /// <summary>
    /// A hidden bucket of a rate and a depth (burst). nginx's limit_req keeps an excess, none for
    /// the first request, that each later admitted one raises by one, less what drained, floored at
    /// zero after adding; a token bucket takes a token from each, floored before adding.
    /// </summary>
    private sealed class Bucket(double rate, int burst, bool nginx)
    {
        private double _level;
        private long _last = long.MinValue;

        public bool Admits(long now)
        {
            double drained = _level - (rate * (now - _last) / Frequency);
            double asked = _last == long.MinValue ? (nginx ? 0 : 1) : nginx ? Math.Max(drained + 1, 0) : Math.Max(drained, 0) + 1;
            if (asked > burst + (nginx ? 0 : 1))
            {
                return false;
            }

            _level = asked;
            _last = now;
            return true;
        }
    }
}
