namespace Pacer;

/// <summary>
/// The limits of one lane. A job starts only when its lane and every ancestor lane have room in
/// all of them. Validated when the engine takes them, then copied: later changes to this object
/// do nothing until passed to <see cref="PacerEngine.UpdateLane(string, LaneOptions)"/>.
/// </summary>
public sealed class LaneOptions
{
    /// <summary>A month's quota resets within 31 days; longer bounds buy nothing and risk overflowing timestamps.</summary>
    private static readonly TimeSpan s_longestMaxPause = TimeSpan.FromDays(31);

    /// <summary>Most jobs of this lane (and its sub-lanes) running at once.</summary>
    /// <value>Default <see langword="null"/>: no concurrency limit. At least 1 when set.</value>
    public int? MaxConcurrency { get; set; }

    /// <summary>Request rates that all hold at once (for example per second, per minute and per day).</summary>
    /// <value>Default empty: no request rate.</value>
    public IList<RateLimit> Rates { get; init; } = [];

    /// <summary>Cost rates (for example tokens per minute) that all hold at once; each job spends its cost.</summary>
    /// <value>Default empty: no cost rate.</value>
    public IList<RateLimit> CostRates { get; init; } = [];

    /// <summary>
    /// Time added to the period of every rate and cost rate when deciding starts: a rate of
    /// permits per period is kept as permits per (period + margin). A service judges when requests
    /// arrive, not when they were sent; one delivered late (a new connection, a busy network)
    /// lands among later ones, and a strict limiter then counts one too many in some window.
    /// Starts are spaced so that any window up to the margin longer than a period holds no more
    /// than the limit, which absorbs that much spread in delivery. It costs margin ÷ period of
    /// the rate: 2% of a per-second limit for 20 ms, nearly nothing of a per-minute one.
    /// </summary>
    /// <value>
    /// Default 20 ms: told a service's exact per-second limit, a lane gets no 429 from requests
    /// delivered a little late. <see cref="TimeSpan.Zero"/> keeps the rates exactly. At most one hour.
    /// </value>
    public TimeSpan PeriodMargin { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The longest a service's hints pause the lane. A retry-after, or nothing remaining until a
    /// reset, that asks for longer pauses the lane this long; then it starts jobs again, and a
    /// service still out of room says so again. This bounds what a wrong or hostile hint does
    /// (<c>Retry-After: 999999</c> would stop the lane for 11 days). A job's own retry-after is
    /// bounded apart from this, by <see cref="RetryPolicy.MaxRetryAfter"/>: past it that job fails
    /// instead of waiting. Zero: hints never pause the lane.
    /// </summary>
    /// <value>
    /// Default 1 hour: as long as the default <see cref="RetryPolicy.MaxRetryAfter"/>, so the lane
    /// never waits longer than one job would for its retry, and as long as the longest window
    /// services commonly reset on (hourly limits), which a lane then waits out in one pause rather
    /// than asking again and again. Longer waits (a daily quota spent) cost one refused request per
    /// hour. Between zero and 31 days.
    /// </value>
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An optional budget that refills on a period or at a clock time.</summary>
    /// <value>Default <see langword="null"/>: no quota.</value>
    public QuotaOptions? Quota { get; set; }

    /// <summary>Makes the lane find the fastest rate the service accepts, below its first request rate.</summary>
    /// <value>Default <see langword="null"/>: the rates are used as given.</value>
    public AdaptiveOptions? Adaptive { get; set; }

    /// <summary>
    /// Where the lane's request rates and cost rates live when several processes share them: every
    /// engine whose lane has the same name and store keeps one limit together, on the store's clock.
    /// Starts are reserved from the store ahead of need, 100 ms at most, each for the cost of the job
    /// it is for, so the engine never waits on the store to decide; real costs a job reports
    /// (<see cref="JobContext.ReportCost(long)"/>) are told to the store. A concurrency limit is
    /// shared too: the process holds slots as leases it renews (<see cref="SharedLeaseTime"/>), as
    /// many as it has work for, and gives back those it has no work for. While the store cannot be
    /// reached the lane starts nothing, and goes on by itself when it is back
    /// (<see cref="LaneSnapshot.SharedStateProblem"/> says why meanwhile). A <see cref="Quota"/> is kept
    /// by the store as well, its windows on the store's clock: <see cref="QuotaOptions.RefillEvery"/>
    /// counted from the Unix epoch (every hour on the hour), not from the lane's creation.
    /// </summary>
    /// <value>Default <see langword="null"/>: the limits are this process's alone.</value>
    public ILaneState? SharedState { get; set; }

    /// <summary>
    /// How long a concurrency slot of a shared lane (<see cref="SharedState"/> with
    /// <see cref="MaxConcurrency"/>) stays taken unless renewed. The process renews its slots every
    /// third of this; a process that dies gives its slots back to the others within this long.
    /// </summary>
    /// <value>Default 10 seconds. Between 1 second and 1 hour.</value>
    public TimeSpan SharedLeaseTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The share of the lane's limits this process keeps alone while its <see cref="SharedState"/>
    /// cannot be reached: each request rate and cost rate at that share (its period lengthened, its
    /// burst cut to that share, at least 1), and its concurrency cut to that share (at least 1). The
    /// lane keeps asking the store meanwhile, and goes back to it by itself when it answers. With
    /// several processes, a share of 1 ÷ (the number of processes) keeps them within the limit
    /// together; starts the store had already granted still count, so a share runs the risk of a
    /// short spell over the limit when the store goes down.
    /// </summary>
    /// <value>Default 0: the lane starts nothing while the store is down. Between 0 and 1.</value>
    public double SharedStateDownShare { get; set; }

    /// <summary>The lane's circuit breaker.</summary>
    /// <value>Default <see langword="null"/>: none.</value>
    public CircuitBreakerOptions? CircuitBreaker { get; set; }

    internal LaneOptions ValidatedCopy(string lane)
    {
        var errors = new OptionsErrors($"Lane '{lane}': ");
        if (MaxConcurrency is < 1)
        {
            errors.Add($"MaxConcurrency must be at least 1, got {MaxConcurrency}.");
        }

        if (PeriodMargin < TimeSpan.Zero || PeriodMargin > TimeSpan.FromHours(1))
        {
            errors.Add($"PeriodMargin must be between 0 and 1 hour, got {PeriodMargin}.");
        }

        if (MaxPause < TimeSpan.Zero || MaxPause > s_longestMaxPause)
        {
            errors.Add($"MaxPause must be between 0 and 31 days, got {MaxPause}.");
        }

        for (int i = 0; i < Rates.Count; i++)
        {
            if (Rates[i] is null)
            {
                errors.Add($"Rates[{i}] must not be null.");
                continue;
            }

            Rates[i].Validate(errors, $"Rates[{i}]");
        }

        for (int i = 0; i < CostRates.Count; i++)
        {
            if (CostRates[i] is null)
            {
                errors.Add($"CostRates[{i}] must not be null.");
                continue;
            }

            CostRates[i].Validate(errors, $"CostRates[{i}]");
        }

        Quota?.Validate(errors);
        CircuitBreaker?.Validate(errors);
        if (Adaptive is not null)
        {
            Adaptive.Validate(errors);
            if (Rates.Count == 0)
            {
                errors.Add("Adaptive needs a request rate: Rates[0] is its ceiling.");
            }
        }

        if (SharedLeaseTime < TimeSpan.FromSeconds(1) || SharedLeaseTime > TimeSpan.FromHours(1))
        {
            errors.Add($"SharedLeaseTime must be between 1 second and 1 hour, got {SharedLeaseTime}.");
        }

        if (!(SharedStateDownShare is >= 0 and <= 1))
        {
            errors.Add($"SharedStateDownShare must be between 0 and 1, got {SharedStateDownShare}.");
        }

        if (SharedState is not null && Adaptive is not null)
        {
            errors.Add("SharedState and Adaptive cannot be combined: an adaptive lane learns its rate alone.");
        }

        errors.ThrowIfAny();
        return new LaneOptions
        {
            MaxConcurrency = MaxConcurrency,
            Rates = [.. Rates],
            CostRates = [.. CostRates],
            PeriodMargin = PeriodMargin,
            MaxPause = MaxPause,
            Quota = Quota?.Clone(),
            Adaptive = Adaptive?.Clone(),
            CircuitBreaker = CircuitBreaker?.Clone(),
            SharedState = SharedState,
            SharedLeaseTime = SharedLeaseTime,
            SharedStateDownShare = SharedStateDownShare,
        };
    }
}
