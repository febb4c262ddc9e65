namespace Pacer;

/// <summary>A job to put in a store: what to run (an opaque payload, such as an HTTP request as JSON) and how.</summary>
/// <param name="Payload">What the worker's executor runs; the store keeps it as it is.</param>
/// <param name="Lane">The lane to run it in.</param>
/// <param name="Priority">Higher is claimed first.</param>
/// <param name="Cost">The job's cost estimate.</param>
/// <param name="BatchId">The batch it belongs to, if any.</param>
/// <param name="IdempotencyKey">When a job with this key is already stored, adding returns that job instead of a new one.</param>
public sealed record JobSubmission(
    string Payload, string Lane = PacerEngine.DefaultLaneName, int Priority = 0, long Cost = 1, string? BatchId = null, string? IdempotencyKey = null);
