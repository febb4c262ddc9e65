namespace Pacer;

/// <summary>How one run of a claimed job ended, as a <see cref="StoreWorker"/> records it.</summary>
/// <param name="State">Succeeded, Failed or Cancelled.</param>
/// <param name="Attempts">The attempts the run took.</param>
/// <param name="Result">What the store keeps as the job's result, if anything.</param>
/// <param name="Error">The error of a failed or cancelled run.</param>
public readonly record struct JobRunOutcome(StoredJobState State, int Attempts, string? Result, string? Error);
