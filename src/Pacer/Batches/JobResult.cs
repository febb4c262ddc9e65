namespace Pacer;

/// <summary>How one job of a batch ended.</summary>
/// <typeparam name="T">What the work returns.</typeparam>
/// <param name="Index">Its position in the batch (submission order).</param>
/// <param name="JobId">The job's id.</param>
/// <param name="State">Succeeded, Failed or Cancelled.</param>
/// <param name="Value">The result when it succeeded.</param>
/// <param name="Error">The last error when it failed or was cancelled.</param>
/// <param name="Attempts">Attempts it took.</param>
/// <param name="Lane">The lane it ran in.</param>
/// <param name="Duration">From submission to the end, waits and retries included.</param>
public readonly record struct JobResult<T>(int Index, long JobId, JobState State, T? Value, Exception? Error, int Attempts, string Lane, TimeSpan Duration)
{
    /// <summary>Whether the job succeeded.</summary>
    public bool Succeeded => State == JobState.Succeeded;

    /// <summary>The index of the job that added this one with <see cref="JobContext.AddChild{T}"/>, or -1.</summary>
    public int ParentIndex { get; init; } = -1;

    /// <summary>How deep in the fan-out tree the job sits: 0 for a job added to the batch directly.</summary>
    public int Depth { get; init; }
}
