namespace Pacer.Simulator;

/// <summary>Draws how long each accepted request takes: base plus seeded jitter.</summary>
internal sealed class LatencySampler(LatencyOptions options, SeededRandom random)
{
    public TimeSpan Next()
    {
        if (options.Jitter <= TimeSpan.Zero)
        {
            return options.Base;
        }

        double factor = options.Distribution switch
        {
            LatencyDistribution.LogNormal => Math.Exp(options.Sigma * random.NextGaussian()),
            _ => random.NextDouble(),
        };

        // A log-normal tail is long; cap it so one draw cannot stall a run.
        double ticks = Math.Min(options.Jitter.Ticks * factor, LatencyOptions.MaxLatency.Ticks);
        return options.Base + TimeSpan.FromTicks((long)ticks);
    }
}
