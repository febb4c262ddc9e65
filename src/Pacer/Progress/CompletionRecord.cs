namespace Pacer;

/// <summary>One recent completion, as progress snapshots list them.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Lane">The lane it ran in.</param>
/// <param name="State">How it ended.</param>
/// <param name="Duration">From submission to the end, waits and retries included.</param>
/// <param name="Attempts">Attempts it took.</param>
/// <param name="Index">Its position in its batch, or -1.</param>
public readonly record struct CompletionRecord(long JobId, string Lane, JobState State, TimeSpan Duration, int Attempts, int Index);
