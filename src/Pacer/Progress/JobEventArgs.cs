namespace Pacer;

/// <summary>A job that was queued, started, reported progress, became final or is about to wait for a retry.</summary>
public sealed class JobEventArgs : EventArgs
{
    /// <param name="job">The job.</param>
    /// <param name="engine">Its engine, for its clock and its progress.</param>
    /// <param name="state">The state the event reports, when the job may have moved on already (queued, then started at once).</param>
    internal JobEventArgs(Job job, PacerEngine engine, JobState? state = null)
    {
        JobId = job.Id;
        Lane = job.Lane.Name;
        State = state ?? job.State;
        Attempts = job.Attempt;
        Index = job.Index;
        Error = job.Error;
        Elapsed = engine.TimeProvider.GetElapsedTime(job.SubmittedAt);
        Progress = engine.ProgressOf(job);
    }

    /// <summary>What the job's work last reported of its progress, if anything (<see cref="JobContext.ReportProgress"/>).</summary>
    public JobProgress? Progress { get; }

    /// <summary>The job's id.</summary>
    public long JobId { get; }

    /// <summary>The lane it runs in.</summary>
    public string Lane { get; }

    /// <summary>Its state when the event was raised.</summary>
    public JobState State { get; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; }

    /// <summary>Its position in its batch, or -1.</summary>
    public int Index { get; }

    /// <summary>The last failure, if any.</summary>
    public Exception? Error { get; }

    /// <summary>Time since it was submitted.</summary>
    public TimeSpan Elapsed { get; }
}
