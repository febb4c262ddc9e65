namespace Pacer.Server.Runs;

/// <summary>Where a run stands, as the API names it.</summary>
internal static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>
    /// Cancelled once cancelled; queued until a job starts; running until every job is final (as
    /// the store counts them: the run's own end is marked a moment after its last outcome is
    /// written); then failed when no job succeeded and one failed, else completed.
    /// </summary>
    public static string Of(RunRecord run, JobCounts counts) =>
        run.Cancelled ? Cancelled
        : run.FinishedAt is null && counts.Remaining > 0 ? (run.StartedAt is null ? Queued : Running)
        : counts.Succeeded == 0 && counts.Failed > 0 ? Failed
        : Completed;
}
