namespace Pacer;

/// <summary>A final outcome for a job a worker holds, for <see cref="IJobStore.CompleteManyAsync"/>.</summary>
/// <param name="Id">The job.</param>
/// <param name="Worker">The worker holding its lease.</param>
/// <param name="State">Succeeded, Failed or Cancelled.</param>
/// <param name="Attempts">Attempts the run took.</param>
/// <param name="Result">The result, if any.</param>
/// <param name="Error">The error, if any.</param>
public sealed record StoredOutcome(string Id, string Worker, StoredJobState State, int Attempts, string? Result, string? Error);
