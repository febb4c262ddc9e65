namespace Pacer;

/// <summary>
/// Makes a lane learn the limits a service keeps but does not state, from its refusals (429s)
/// alone: the lane's first request rate and its concurrency are ceilings; the lane runs at what it
/// has learned, never above them.
/// </summary>
/// <remarks>
/// A refusal is told apart as the concurrency cap's or the rate's by how many requests were in
/// flight when it was sent. What the service admitted between two refusals is its rate; the lane
/// holds just under it (<see cref="Margin"/>) and probes upward slowly, so that refusals stay about
/// <see cref="ProbeEvery"/> admitted requests apart, and faster the longer none comes, to follow a
/// raised limit. The concurrency starts at two, grows while requests end well, and is bounded by
/// what was in flight at a refusal. An adaptive lane spends no burst: it has no evidence for one.
/// </remarks>
public sealed class AdaptiveOptions
{
    /// <summary>The rate to start at, as a fraction of the ceiling.</summary>
    /// <value>Default 1: start at the ceiling. Between 0 (exclusive) and 1.</value>
    public double StartFraction { get; set; } = 1;

    /// <summary>The cut on a refusal before anything is learned: the new rate is the refused request's rate × this.</summary>
    /// <value>Default 0.5; between 0.05 and 0.99.</value>
    public double DecreaseFactor { get; set; } = 0.5;

    /// <summary>How far under the learned rate the lane holds.</summary>
    /// <value>Default 0.03; between 0 and 0.5.</value>
    public double Margin { get; set; } = 0.03;

    /// <summary>How many admitted requests apart the probes upward (of the rate, and of the concurrency) aim to be.</summary>
    /// <value>Default 120; between 10 and 100,000. More means fewer refusals and a slower climb to a raised limit.</value>
    public int ProbeEvery { get; set; } = 120;

    /// <summary>The longest Retry-After on a refusal that delays only the refused request; a longer one pauses the whole lane.</summary>
    /// <value>
    /// Default 2 seconds; at least zero. A service that answers every refusal with "Retry-After: 1"
    /// (nginx's <c>limit_req</c>, many API gateways) asks the refused request to wait, not the lane
    /// for a second on each refusal.
    /// </value>
    public TimeSpan LanePauseThreshold { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The lowest effective rate, as a fraction of the ceiling.</summary>
    /// <value>Default 0.001; between 0 (exclusive) and 1.</value>
    public double MinFraction { get; set; } = 0.001;

    /// <summary>Whether the lane learns its concurrency too, with the lane's <see cref="LaneOptions.MaxConcurrency"/> as the ceiling.</summary>
    /// <value>Default <see langword="true"/>. Without a MaxConcurrency there is no ceiling, and nothing is learned.</value>
    public bool AdaptConcurrency { get; set; } = true;

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

        if (ProbeEvery is < 10 or > 100_000)
        {
            errors.Add($"Adaptive.ProbeEvery must be between 10 and 100000, got {ProbeEvery}.");
        }

        if (LanePauseThreshold < TimeSpan.Zero)
        {
            errors.Add($"Adaptive.LanePauseThreshold must be at least zero, got {LanePauseThreshold}.");
        }

        if (MinFraction is <= 0 or > 1 || double.IsNaN(MinFraction))
        {
            errors.Add($"Adaptive.MinFraction must be above 0 and at most 1, got {MinFraction}.");
        }
    }

    internal AdaptiveOptions Clone() => (AdaptiveOptions)MemberwiseClone();
}
