namespace Pacer.Simulator;

/// <summary>
/// Faults injected into accepted requests at the given ratios (each from 0 to 1, together at most 1),
/// drawn from a seeded generator. Faulted requests still count against the hidden limits.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Share of accepted requests answered <c>500 Internal Server Error</c>.</summary>
    /// <value>Default 0.</value>
    public double ServerErrorRatio { get; set; }

    /// <summary>Share of accepted requests answered <c>503 Service Unavailable</c> with <c>Retry-After</c>.</summary>
    /// <value>Default 0.</value>
    public double UnavailableRatio { get; set; }

    /// <summary>Share of accepted requests whose connection is aborted without an answer.</summary>
    /// <value>Default 0.</value>
    public double DropRatio { get; set; }

    /// <summary>Share of accepted requests that take <see cref="SlowDelay"/> longer than usual.</summary>
    /// <value>Default 0.</value>
    public double SlowRatio { get; set; }

    /// <summary>The <c>Retry-After</c> sent with injected <c>503</c> answers, in whole seconds.</summary>
    /// <value>Default one second. From zero to one hour.</value>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The time a slow answer adds to the usual latency.</summary>
    /// <value>Default five seconds. From zero to one hour.</value>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate(OptionsErrors errors, string field)
    {
        CheckRatio(errors, field, nameof(ServerErrorRatio), ServerErrorRatio);
        CheckRatio(errors, field, nameof(UnavailableRatio), UnavailableRatio);
        CheckRatio(errors, field, nameof(DropRatio), DropRatio);
        CheckRatio(errors, field, nameof(SlowRatio), SlowRatio);
        double sum = ServerErrorRatio + UnavailableRatio + DropRatio + SlowRatio;
        if (sum > 1 + 1e-9)
        {
            errors.Add($"{field}ServerErrorRatio + UnavailableRatio + DropRatio + SlowRatio must be at most 1, got {sum}.");
        }

        if (UnavailableRetryAfter < TimeSpan.Zero || UnavailableRetryAfter > LatencyOptions.MaxLatency)
        {
            errors.Add($"{field}UnavailableRetryAfter must be from 0 to {LatencyOptions.MaxLatency}, got {UnavailableRetryAfter}.");
        }

        if (SlowDelay < TimeSpan.Zero || SlowDelay > LatencyOptions.MaxLatency)
        {
            errors.Add($"{field}SlowDelay must be from 0 to {LatencyOptions.MaxLatency}, got {SlowDelay}.");
        }
    }

    internal FaultOptions Clone() => new()
    {
        ServerErrorRatio = ServerErrorRatio,
        UnavailableRatio = UnavailableRatio,
        DropRatio = DropRatio,
        SlowRatio = SlowRatio,
        UnavailableRetryAfter = UnavailableRetryAfter,
        SlowDelay = SlowDelay,
    };

    private static void CheckRatio(OptionsErrors errors, string field, string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            errors.Add($"{field}{name} must be from 0 to 1, got {value}.");
        }
    }
}
