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

    /// <summary>User state handed to the work through <see cref="JobContext.State"/>.</summary>
    public object? Item;

    /// <summary>While queued: when it entered the queue. While running: when the attempt started.</summary>
    public long Timestamp;

    /// <summary>When the job first entered the engine, for the duration of the whole job.</summary>
    public long SubmittedAt;

    public long Id;

    /// <summary>Position in the batch (submission order), or -1.</summary>
    public int Index = -1;

    // A byte and a ushort rather than two ints keep the job at 112 bytes (W4 queues a million).
    private ushort _attempt;
    private byte _state;

    public JobState State
    {
        get => (JobState)_state;
        set => _state = (byte)value;
    }

    /// <summary>Attempts started; at most <see cref="RetryPolicy.MaxAttemptsLimit"/>.</summary>
    public int Attempt
    {
        get => _attempt;
        set => _attempt = (ushort)value;
    }

    /// <summary>
    /// While an attempt runs: its token, rented from the engine's pool. Otherwise: the last error,
    /// if any. One field for both keeps the job small (W4 queues a million of them).
    /// </summary>
    private object? _slot;

    /// <summary>The running attempt's token, or null.</summary>
    public AttemptToken? Token
    {
        get => _slot as AttemptToken;
        set => _slot = value;
    }

    /// <summary>The running attempt's token source, or null.</summary>
    public CancellationTokenSource? Cts => Token?.Source;

    /// <summary>Why the job failed or was cancelled (or why the last attempt failed); null while an attempt runs.</summary>
    public Exception? Error
    {
        get => _slot as Exception;
        set => _slot = value;
    }

    /// <summary>Counters of the batch the job belongs to, or null for a lone job.</summary>
    public abstract BatchCounters? Group { get; }

    /// <summary>Reads the attempt's token source outside the lock.</summary>
    public AttemptToken? ReadToken() => Volatile.Read(ref _slot) as AttemptToken;

    public bool IsFinal => State >= JobState.Succeeded;

    /// <summary>Runs one attempt on the calling thread until its first await.</summary>
    public abstract void RunAttempt(PacerEngine engine, AttemptToken attempt);

    /// <summary>Tells whoever awaits the job that it is final. Called once, outside the lock.</summary>
    public abstract void NotifyFinal();
}
