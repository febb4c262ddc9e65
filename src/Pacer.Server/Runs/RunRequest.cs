namespace Pacer.Server.Runs;

/// <summary>What a submission asks of its run, from the query and headers of <c>POST /api/runs</c>.</summary>
internal sealed record RunRequest(string? Name, int Priority, int? MaxConcurrency, string? IdempotencyKey);
