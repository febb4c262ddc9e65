namespace Pacer;

/// <summary>Where a job stands. The last three are final: every job ends in exactly one of them.</summary>
public enum JobState
{
    /// <summary>Waiting in its lane's queue for room.</summary>
    Queued,

    /// <summary>An attempt is running; the job holds a slot in its lane and every ancestor.</summary>
    Running,

    /// <summary>An attempt failed and the job waits for its retry time, holding no slot.</summary>
    WaitingToRetry,

    /// <summary>An attempt succeeded.</summary>
    Succeeded,

    /// <summary>The last attempt failed permanently, or no attempts were left.</summary>
    Failed,

    /// <summary>The job, its batch or the engine was cancelled before it succeeded or failed.</summary>
    Cancelled,
}
