namespace Pacer;

/// <summary>
/// How one job (or every job of a batch) travels: its lane, priority, cost, attempt timeout and
/// retry policy. Immutable once built, so one instance may serve many jobs.
/// </summary>
public sealed class JobOptions
{
    internal static readonly JobOptions Default = new();

    private bool _validated;

    /// <summary>The lane these options resolved to last, in whichever engine; see <see cref="PacerEngine.ResolveLane"/>.</summary>
    internal Lane? ResolvedLane;

    /// <summary>The lane the job runs in.</summary>
    /// <value>Default <see langword="null"/>: the engine's <c>default</c> lane.</value>
    public string? Lane { get; init; }

    /// <summary>Higher starts first within a lane; waiting jobs age (see <see cref="PacerOptions.PriorityAging"/>).</summary>
    /// <value>Default 0; between -1,000,000 and 1,000,000.</value>
    public int Priority { get; init; }

    /// <summary>
    /// What one attempt spends of the lane's cost rates and cost quota (for example an estimate of
    /// tokens). The work may report the real cost through <see cref="JobContext.ReportCost(long)"/>.
    /// </summary>
    /// <value>Default 1; at least 0.</value>
    public long Cost { get; init; } = 1;

    /// <summary>The longest one attempt may run; a timed-out attempt is a retryable failure.</summary>
    /// <value>Default <see langword="null"/>: no timeout.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How failed attempts are retried.</summary>
    /// <value>Default <see langword="null"/>: the engine's <see cref="PacerOptions.DefaultRetry"/>.</value>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// While a job with this key is not final, submitting another job with the same key returns
    /// the first job's handle instead of running the work twice.
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? IdempotencyKey { get; init; }

    internal void EnsureValid()
    {
        if (!_validated)
        {
            Validate();
        }
    }

    private void Validate()
    {
        var errors = new OptionsErrors("JobOptions: ");
        if (Priority is < -1_000_000 or > 1_000_000)
        {
            errors.Add($"Priority must be between -1000000 and 1000000, got {Priority}.");
        }

        if (Cost < 0)
        {
            errors.Add($"Cost must be at least 0, got {Cost}.");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add($"Timeout must be positive, got {timeout}.");
        }

        if (Lane is { Length: 0 })
        {
            errors.Add("Lane must not be empty; leave it null for the default lane.");
        }

        Retry?.Validate(errors, "Retry.");
        errors.ThrowIfAny();
        _validated = true;
    }
}
