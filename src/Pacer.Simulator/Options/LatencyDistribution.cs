namespace Pacer.Simulator;

/// <summary>How the jitter added to <see cref="LatencyOptions.Base"/> is drawn.</summary>
public enum LatencyDistribution
{
    /// <summary>Uniform between zero and <see cref="LatencyOptions.Jitter"/>.</summary>
    Uniform,

    /// <summary>
    /// Log-normal with median <see cref="LatencyOptions.Jitter"/> and shape <see cref="LatencyOptions.Sigma"/>:
    /// mostly near the median, with a long tail, as real services answer.
    /// </summary>
    LogNormal,
}
