namespace Pacer.Server.Runs;

/// <summary>What a submission asks of its run, from the query and headers of <c>POST /api/runs</c>.</summary>
/// <param name="Name">A name to show.</param>
/// <param name="Priority">Added to each job's own priority.</param>
/// <param name="MaxConcurrency">The most of its jobs sent at once.</param>
/// <param name="IdempotencyKey">A key that makes a retried submission return the first run.</param>
/// <param name="Mode">The processing mode it runs in: sequential or parallel (auto resolved already).</param>
internal sealed record RunRequest(string? Name, int Priority, int? MaxConcurrency, string? IdempotencyKey, string Mode = ProcessingModes.Parallel);
