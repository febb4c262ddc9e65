namespace Pacer;

/// <summary>Where one lane stands; counts include its sub-lanes.</summary>
public sealed record LaneSnapshot
{
    /// <summary>The lane's name.</summary>
    public required string Name { get; init; }

    /// <summary>Jobs waiting for room.</summary>
    public required int Queued { get; init; }

    /// <summary>Attempts running.</summary>
    public required int Running { get; init; }

    /// <summary>Jobs waiting for a retry, holding no slot.</summary>
    public required int WaitingToRetry { get; init; }

    /// <summary>Jobs that succeeded.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Jobs that failed.</summary>
    public required long Failed { get; init; }

    /// <summary>Jobs that were cancelled.</summary>
    public required long Cancelled { get; init; }

    /// <summary>Retries scheduled.</summary>
    public required long Retries { get; init; }

    /// <summary>Completions per second, a moving average over the last 10 seconds.</summary>
    public required double Throughput { get; init; }

    /// <summary>Moving average of attempt duration.</summary>
    public required TimeSpan AverageLatency { get; init; }

    /// <summary>
    /// The most jobs per second the lane can run in steady state: the least of its rates (and its
    /// ancestors'), cost rates over the average cost, and concurrency over the observed latency.
    /// </summary>
    public required double? Capacity { get; init; }

    /// <summary>Time until the jobs now in the lane are done at <see cref="Capacity"/>; null when unknown.</summary>
    public required TimeSpan? Eta { get; init; }

    /// <summary>The concurrency limit, if any.</summary>
    public required int? MaxConcurrency { get; init; }

    /// <summary>The request rates in force.</summary>
    public required IReadOnlyList<RateLimit> Rates { get; init; }

    /// <summary>The cost rates in force.</summary>
    public required IReadOnlyList<RateLimit> CostRates { get; init; }

    /// <summary>
    /// The cost the lane's attempts have spent so far (tokens, for example): each start's
    /// estimate, corrected where the work reported the real cost (<see cref="JobContext.ReportCost(long)"/>).
    /// </summary>
    public long CostSpent { get; init; }

    /// <summary>Units left in the quota, if the lane has one and keeps it itself (a shared lane's quota is its store's).</summary>
    public required long? QuotaRemaining { get; init; }

    /// <summary>When the quota refills next, if the lane has one and keeps it itself.</summary>
    public required DateTimeOffset? QuotaRefillsAt { get; init; }

    /// <summary>The circuit's state; <see cref="CircuitState.Closed"/> for a lane without a breaker.</summary>
    public CircuitState Circuit { get; init; }

    /// <summary>An adaptive lane's effective rate per second now; null for a lane that is not adaptive.</summary>
    public double? AdaptiveRate { get; init; }

    /// <summary>
    /// An adaptive lane's ceiling per second: its first configured rate, or the lower limit the
    /// service stated; null for a lane that is not adaptive.
    /// </summary>
    public double? AdaptiveCeiling { get; init; }

    /// <summary>What an adaptive lane is doing with its rate; null for a lane that is not adaptive. <see cref="MaxConcurrency"/> is the concurrency it learned.</summary>
    public AdaptivePhase? AdaptivePhase { get; init; }

    /// <summary>Until when the service asked the lane to wait, if it is waiting.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>
    /// While the service's hints pause the lane: until when, why (<c>Retry-After 30s</c>, no
    /// requests or tokens remaining until the reset), and whether <see cref="LaneOptions.MaxPause"/>
    /// cut the wait it asked for; null when the lane is not paused.
    /// </summary>
    public LanePause? Pause { get; init; }

    /// <summary>
    /// Why the lane's shared state (<see cref="LaneOptions.SharedState"/>) cannot be reached, while
    /// it cannot; the lane starts nothing meanwhile, or runs alone at its
    /// <see cref="LaneOptions.SharedStateDownShare"/>, as the text says. <see langword="null"/> otherwise.
    /// </summary>
    public string? SharedStateProblem { get; init; }

    /// <summary>Starts the lane's shared state reserved for this process that it did not use in time, so nobody used them.</summary>
    public long SharedStartsExpired { get; init; }
}
