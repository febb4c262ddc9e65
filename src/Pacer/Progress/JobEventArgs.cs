namespace Pacer;

/// <summary>A job that became final or is about to wait for a retry.</summary>
public sealed class JobEventArgs : EventArgs
{
    internal JobEventArgs(Job job, PacerEngine engine)
    {
        JobId = job.Id;
        Lane = job.Lane.Name;
        State = job.State;
        Attempts = job.Attempt;
        Index = job.Index;
        Error = job.Error;
        Elapsed = engine.TimeProvider.GetElapsedTime(job.SubmittedAt);
    }

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
