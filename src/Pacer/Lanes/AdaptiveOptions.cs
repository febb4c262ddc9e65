namespace Pacer;

/// <summary>
/// Makes a lane find the fastest rate a service accepts: the lane's first request rate is the
/// ceiling; the effective rate drops on a rate-limit outcome and climbs back while outcomes are
/// good, never above the ceiling.
/// </summary>
/// <remarks>
/// On a rate-limit outcome the new rate is the rate the service actually admitted since the last
/// change, less <see cref="Margin"/>, but never below rate × <see cref="DecreaseFactor"/> and never
/// above rate × (1 − Margin). Under overload a service admits exactly its limit, so one or two
/// steps land just under it, and the lane then climbs by <see cref="IncreasePerSecond"/> of its
/// rate per second until the next refusal.
/// </remarks>
public sealed class AdaptiveOptions
{
    /// <summary>The rate to start at, as a fraction of the ceiling.</summary>
    /// <value>Default 1: start at the ceiling. Between 0 (exclusive) and 1.</value>
    public double StartFraction { get; set; } = 1;

    /// <summary>The deepest single decrease: the new rate is at least rate × this.</summary>
    /// <value>Default 0.5; between 0.05 and 0.99.</value>
    public double DecreaseFactor { get; set; } = 0.5;

    /// <summary>How far under the admitted rate a decrease lands.</summary>
    /// <value>Default 0.05; between 0 and 0.5.</value>
    public double Margin { get; set; } = 0.05;

    /// <summary>The climb while outcomes are good, as a fraction of the current rate per second.</summary>
    /// <value>Default 0.01 (1% a second); between 0 (exclusive) and 1.</value>
    public double IncreasePerSecond { get; set; } = 0.01;

    /// <summary>The least time between two decreases, so that refusals of calls sent before a decrease do not count twice.</summary>
    /// <value>Default 1 second; at least zero.</value>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The lowest effective rate, as a fraction of the ceiling.</summary>
    /// <value>Default 0.001; between 0 (exclusive) and 1.</value>
    public double MinFraction { get; set; } = 0.001;

    /// <summary>Whether the lane's concurrency limit follows the same fraction of its configured value.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool AdaptConcurrency { get; set; }

    internal void Validate(OptionsErrors errors)
    {
        if (StartFraction is <= 0 or > 1 || double.IsNaN(StartFraction))
        {
            errors.Add($"Adaptive.StartFraction must be above 0 and at most 1, got {StartFraction}.");
        }

        if (DecreaseFactor is < 0.05 or > 0.99 || double.IsNaN(DecreaseFactor))
        {
            errors.Add($"Adaptive.DecreaseFactor must be between 0.05 and 0.99, got {DecreaseFactor}.");
        }

        if (Margin is < 0 or > 0.5 || double.IsNaN(Margin))
        {
            errors.Add($"Adaptive.Margin must be between 0 and 0.5, got {Margin}.");
        }

        if (IncreasePerSecond is <= 0 or > 1 || double.IsNaN(IncreasePerSecond))
        {
            errors.Add($"Adaptive.IncreasePerSecond must be above 0 and at most 1, got {IncreasePerSecond}.");
        }

        if (Cooldown < TimeSpan.Zero)
        {
            errors.Add($"Adaptive.Cooldown must be at least zero, got {Cooldown}.");
        }

        if (MinFraction is <= 0 or > 1 || double.IsNaN(MinFraction))
        {
            errors.Add($"Adaptive.MinFraction must be above 0 and at most 1, got {MinFraction}.");
        }
    }

    internal AdaptiveOptions Clone() => (AdaptiveOptions)MemberwiseClone();
}
