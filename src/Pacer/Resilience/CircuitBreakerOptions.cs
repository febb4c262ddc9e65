namespace Pacer;

/// <summary>
/// A lane's circuit breaker: opens after <see cref="ConsecutiveFailures"/> failed attempts in a
/// row, or when at least <see cref="FailureRatio"/> of the attempts in <see cref="SamplingWindow"/>
/// failed (once there were <see cref="MinimumAttempts"/>); after <see cref="BreakDuration"/> one
/// probe goes through, and its success closes the circuit.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Failed attempts in a row that open the circuit; 0 turns this rule off.</summary>
    /// <value>Default 5.</value>
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>The share of failed attempts in the sampling window that opens the circuit; <see langword="null"/> turns this rule off.</summary>
    /// <value>Default <see langword="null"/>. Above 0 and at most 1 when set.</value>
    public double? FailureRatio { get; set; }

    /// <summary>The window <see cref="FailureRatio"/> is measured over.</summary>
    /// <value>Default 30 seconds.</value>
    public TimeSpan SamplingWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The least attempts in the window before the ratio rule applies.</summary>
    /// <value>Default 10.</value>
    public int MinimumAttempts { get; set; } = 10;

    /// <summary>How long the circuit stays open before a probe.</summary>
    /// <value>Default 30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether jobs fail at once while the circuit is open, instead of waiting for it to close.</summary>
    /// <value>Default <see langword="false"/>: jobs wait.</value>
    public bool FailFastWhenOpen { get; set; }

    internal void Validate(OptionsErrors errors)
    {
        if (ConsecutiveFailures < 0)
        {
            errors.Add($"CircuitBreaker.ConsecutiveFailures must be at least 0, got {ConsecutiveFailures}.");
        }

        if (FailureRatio is { } ratio && (ratio is <= 0 or > 1 || double.IsNaN(ratio)))
        {
            errors.Add($"CircuitBreaker.FailureRatio must be above 0 and at most 1, got {ratio}.");
        }

        if (ConsecutiveFailures == 0 && FailureRatio is null)
        {
            errors.Add("CircuitBreaker needs ConsecutiveFailures above 0 or a FailureRatio.");
        }

        if (SamplingWindow <= TimeSpan.Zero)
        {
            errors.Add($"CircuitBreaker.SamplingWindow must be positive, got {SamplingWindow}.");
        }

        if (MinimumAttempts < 1)
        {
            errors.Add($"CircuitBreaker.MinimumAttempts must be at least 1, got {MinimumAttempts}.");
        }

        if (BreakDuration <= TimeSpan.Zero)
        {
            errors.Add($"CircuitBreaker.BreakDuration must be positive, got {BreakDuration}.");
        }
    }

    internal CircuitBreakerOptions Clone() => (CircuitBreakerOptions)MemberwiseClone();
}
