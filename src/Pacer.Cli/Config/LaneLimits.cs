namespace Pacer.Cli.Config;

/// <summary>Turns the limits given on the command line or in <c>pacer.yaml</c> into engine lane options.</summary>
internal static class LaneLimits
{
    /// <summary>
    /// What each rate's period is padded by unless told otherwise: enough for a request delivered
    /// late by connection setup or a busy host not to crowd a strict limiter's window, at 2% of a
    /// per-second limit and nearly nothing of a per-minute one (see <see cref="LaneOptions.PeriodMargin"/>).
    /// </summary>
    public static readonly TimeSpan DefaultMargin = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Requests in flight at once in a lane told no concurrency (a top lane; a child shares its
    /// parent's): a few, so that a first run of 100,000 lines does not open thousands of requests
    /// against someone's service. <c>--concurrency</c> or <c>concurrency:</c> raises it.
    /// </summary>
    public const int DefaultConcurrency = 4;

    /// <summary>The longest a service's hints pause a lane unless told otherwise (<see cref="LaneOptions.MaxPause"/>'s default).</summary>
    public static readonly TimeSpan DefaultMaxPause = TimeSpan.FromHours(1);

    /// <summary>The engine's bound on <see cref="LaneOptions.MaxPause"/>.</summary>
    public static readonly TimeSpan LongestMaxPause = TimeSpan.FromDays(31);

    /// <summary>The limits of whole rates per second or minute (the command line's flags).</summary>
    public static LaneOptions Build(int? concurrency, long? rps, long? rpm, long burst, long? tpm, bool adaptive, TimeSpan margin, TimeSpan? maxPause = null) => Build(
        concurrency,
        [.. Rate(rps, RateUnit.PerSecond), .. Rate(rpm, RateUnit.PerMinute)],
        burst,
        tpm is { } tokens ? new RateSetting(tokens, RateUnit.TokensPerMinute) : null,
        adaptive,
        margin,
        maxPause);

    /// <summary>The limits of request rates and a token rate, each exact (see <see cref="RateSetting.ToLimit"/>).</summary>
    /// <param name="maxPause">The longest a service's hints pause the lane; null for <see cref="DefaultMaxPause"/>.</param>
    /// <param name="leaseTime">How long a shared lane's concurrency slot lasts unless renewed; null for the engine's default.</param>
    /// <param name="stateDownShare">The share of the limits a shared lane keeps alone while its store is down; 0 pauses it.</param>
    /// <param name="quota">So many requests a day, or every so long; null for none.</param>
    public static LaneOptions Build(int? concurrency, IEnumerable<RateSetting> requestRates, long burst, RateSetting? tokenRate, bool adaptive, TimeSpan margin, TimeSpan? maxPause = null, TimeSpan? leaseTime = null, double stateDownShare = 0, QuotaSetting? quota = null)
    {
        var lane = new LaneOptions { MaxConcurrency = concurrency, PeriodMargin = margin, MaxPause = maxPause ?? DefaultMaxPause, SharedStateDownShare = stateDownShare, Quota = quota?.ToOptions() };
        if (leaseTime is { } lease)
        {
            lane.SharedLeaseTime = lease;
        }

        foreach (RateSetting rate in requestRates)
        {
            lane.Rates.Add(rate.ToLimit(burst));
        }

        if (tokenRate is not null)
        {
            lane.CostRates.Add(tokenRate.ToLimit(TokenBurst(tokenRate)));
        }

        if (adaptive)
        {
            // A concurrency cap answers with the same 429 as a rate limit: the lane lowers both
            // together, or it keeps as many in flight as it was told against a cap it cannot see
            // (bench/adaptive-nginx.py: 7.2x the least time where the concurrency binds, 1.7x with this).
            lane.Adaptive = new AdaptiveOptions { AdaptConcurrency = true };
        }

        return lane;
    }

    /// <summary>
    /// A second's worth of tokens may start at once (at least one); a larger request starts on a
    /// full bucket and leaves it in debt.
    /// </summary>
    public static long TokenBurst(RateSetting tokensPerMinute) => Math.Max(1, (long)decimal.Floor(tokensPerMinute.Value / 60));

    private static RateSetting[] Rate(long? value, RateUnit unit) => value is { } v ? [new RateSetting(v, unit)] : [];
}
