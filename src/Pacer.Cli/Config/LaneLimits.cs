namespace Pacer.Cli.Config;

/// <summary>Turns the limits given on the command line or in <c>pacer.yaml</c> into engine lane options.</summary>
internal static class LaneLimits
{
    public static LaneOptions Build(int? concurrency, long? rps, long? rpm, long burst, long? tpm, bool adaptive)
    {
        var lane = new LaneOptions { MaxConcurrency = concurrency };
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
