namespace Pacer.Simulator;

/// <summary>
/// How long an accepted request takes: <see cref="Base"/> plus jitter drawn from a seeded
/// distribution. Requests hold their concurrency slot for that time. Rejected requests (429)
/// answer at once.
/// </summary>
public sealed class LatencyOptions
{
    internal static readonly TimeSpan MaxLatency = TimeSpan.FromHours(1);

    /// <summary>The least time every accepted request takes.</summary>
    /// <value>Default <see cref="TimeSpan.Zero"/>. From zero to one hour.</value>
    public TimeSpan Base { get; set; }

    /// <summary>The spread of the jitter: the maximum (uniform) or the median (log-normal).</summary>
    /// <value>Default <see cref="TimeSpan.Zero"/>: no jitter. From zero to one hour.</value>
    public TimeSpan Jitter { get; set; }

    /// <summary>The distribution the jitter is drawn from.</summary>
    /// <value>Default <see cref="LatencyDistribution.Uniform"/>.</value>
    public LatencyDistribution Distribution { get; set; } = LatencyDistribution.Uniform;

    /// <summary>The shape of the log-normal jitter: the standard deviation of its logarithm.</summary>
    /// <value>Default 0.5. Greater than zero and at most 4.</value>
    public double Sigma { get; set; } = 0.5;

    internal void Validate(OptionsErrors errors, string field)
    {
        if (Base < TimeSpan.Zero || Base > MaxLatency)
        {
            errors.Add($"{field}Base must be from 0 to {MaxLatency}, got {Base}.");
        }

        if (Jitter < TimeSpan.Zero || Jitter > MaxLatency)
        {
            errors.Add($"{field}Jitter must be from 0 to {MaxLatency}, got {Jitter}.");
        }

        if (!Enum.IsDefined(Distribution))
        {
            errors.Add($"{field}Distribution must be one of {string.Join(", ", Enum.GetNames<LatencyDistribution>())}, got {(int)Distribution}.");
        }

        if (!(Sigma > 0 && Sigma <= 4))
        {
            errors.Add($"{field}Sigma must be greater than 0 and at most 4, got {Sigma}.");
        }
    }

    internal LatencyOptions Clone() => new() { Base = Base, Jitter = Jitter, Distribution = Distribution, Sigma = Sigma };
}
