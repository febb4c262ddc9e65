namespace Pacer;

/// <summary>What the work of a job sees of its attempt.</summary>
public readonly struct JobContext
{
    private readonly Job _job;

    internal JobContext(Job job, CancellationToken cancellationToken)
    {
        _job = job;
        CancellationToken = cancellationToken;
    }

    /// <summary>Cancelled when the job, its batch or the engine is cancelled, or the attempt times out.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The attempt number, from 1.</summary>
    public int Attempt => _job.Attempt;

    /// <summary>The job's id, unique within its engine.</summary>
    public long JobId => _job.Id;

    /// <summary>The lane the job runs in.</summary>
    public string Lane => _job.Lane.Name;

    /// <summary>The job's position in its batch, or -1 for a lone job.</summary>
    public int Index => _job.Index;

    /// <summary>The state object the job was submitted with, if any.</summary>
    public object? State => _job.Item;

    /// <summary>
    /// Replaces the cost estimate of this attempt with the real cost (for example the tokens the
    /// service reports having used). The lane's cost rates and cost quota are corrected at once.
    /// </summary>
    /// <param name="actualCost">The real cost; at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actualCost"/> is negative.</exception>
    public void ReportCost(long actualCost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actualCost);
        _job.Lane.Engine.AdjustCost(_job, actualCost);
    }

    /// <summary>
    /// Passes on what the service said about its limits (read from its answer, whether the attempt
    /// succeeds or fails). A retry-after pauses the whole lane until then; no requests remaining
    /// pauses it until the reset.
    /// </summary>
    /// <param name="hints">The service's hints.</param>
    public void ReportHints(OutcomeHints hints)
    {
        ArgumentNullException.ThrowIfNull(hints);
        _job.Lane.Engine.ApplyHints(_job.Lane, hints);
    }
}
