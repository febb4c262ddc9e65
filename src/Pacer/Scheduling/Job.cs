namespace Pacer;

/// <summary>
/// One unit of work and, at once, its node in every queue it passes through: the lane queue and
/// the start chain link through <see cref="Next"/>, so queueing a job allocates nothing.
/// </summary>
/// <remarks>
/// Fields are guarded by the engine lock except where noted; the job object is the only
/// allocation the engine makes per job (rule 7), so fields are packed and kept few.
/// </remarks>
internal abstract class Job
{
    /// <summary>Next job in a lane queue bucket or in a chain of jobs about to start.</summary>
    public Job? Next;

    public required Lane Lane;

    public required JobOptions Options;

    /// <summary>Counters of the batch the job belongs to, or null for a lone job.</summary>
    public BatchCounters? Group;

    /// <summary>User state handed to the work through <see cref="JobContext.State"/>.</summary>
    public object? Item;

    /// <summary>While queued: when it entered the queue. While running: when the attempt started.</summary>
    public long Timestamp;

    /// <summary>When the job first entered the engine, for the duration of the whole job.</summary>
    public long SubmittedAt;

    public long Id;

    public JobState State;

    public int Attempt;

    /// <summary>Position in the batch (submission order), or -1.</summary>
    public int Index = -1;

    /// <summary>Slot in the engine's running set while an attempt runs, else -1.</summary>
    public int RunSlot = -1;

    /// <summary>Token source of the running attempt, rented from the engine's pool.</summary>
    public CancellationTokenSource? Cts;

    /// <summary>Why the job failed or was cancelled; set before it becomes final.</summary>
    public Exception? Error;

    public bool IsFinal => State >= JobState.Succeeded;

    /// <summary>Runs one attempt on the calling thread until its first await.</summary>
    public abstract void RunAttempt(PacerEngine engine, CancellationToken cancellationToken);

    /// <summary>Tells whoever awaits the job that it is final. Called once, outside the lock.</summary>
    public abstract void NotifyFinal();
}
