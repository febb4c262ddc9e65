namespace Pacer;

/// <summary>
/// A rate: at most <see cref="Permits"/> units per <see cref="Period"/>, with a bucket of
/// <see cref="Burst"/> units. Starts (or cost) in any sliding window of length w never exceed
/// Permits × w ÷ Period + Burst.
/// </summary>
/// <param name="Permits">Units allowed per period (requests, or cost such as tokens); at least 1.</param>
/// <param name="Period">The period the permits refer to; positive.</param>
/// <param name="Burst">How many units may be spent at once after an idle spell; at least 1.</param>
public sealed record RateLimit(long Permits, TimeSpan Period, long Burst = 1)
{
    /// <summary>A rate of <paramref name="permits"/> per second.</summary>
    public static RateLimit PerSecond(long permits, long burst = 1) => new(permits, TimeSpan.FromSeconds(1), burst);

    /// <summary>A rate of <paramref name="permits"/> per minute.</summary>
    public static RateLimit PerMinute(long permits, long burst = 1) => new(permits, TimeSpan.FromMinutes(1), burst);

    /// <summary>A rate of <paramref name="permits"/> per day.</summary>
    public static RateLimit PerDay(long permits, long burst = 1) => new(permits, TimeSpan.FromDays(1), burst);

    /// <summary>The steady rate in units per second.</summary>
    public double PerSecondRate => Permits / Period.TotalSeconds;

    internal void Validate(OptionsErrors errors, string field)
    {
        if (Permits < 1)
        {
            errors.Add($"{field}.Permits must be at least 1, got {Permits}.");
        }

        if (Period <= TimeSpan.Zero)
        {
            errors.Add($"{field}.Period must be positive, got {Period}.");
        }

        if (Burst < 1)
        {
            errors.Add($"{field}.Burst must be at least 1, got {Burst}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Permits}/{Period} (burst {Burst})";
}
