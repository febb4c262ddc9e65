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

    public static LaneOptions Build(int? concurrency, long? rps, long? rpm, long burst, long? tpm, bool adaptive, TimeSpan margin)
    {
        var lane = new LaneOptions { MaxConcurrency = concurrency, PeriodMargin = margin };
        if (rps is { } perSecond)
        {
            lane.Rates.Add(RateLimit.PerSecond(perSecond, burst));
        }

        if (rpm is { } perMinute)
        {
            lane.Rates.Add(RateLimit.PerMinute(perMinute, burst));
        }

        if (tpm is { } tokens)
        {
            // A second's worth of tokens may start at once; a larger request starts on a full bucket and leaves it in debt.
            lane.CostRates.Add(RateLimit.PerMinute(tokens, Math.Max(1, tokens / 60)));
        }

        if (adaptive)
        {
            lane.Adaptive = new AdaptiveOptions();
        }

        return lane;
    }
}
