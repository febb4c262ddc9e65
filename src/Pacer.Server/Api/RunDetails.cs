using GraphQL;

namespace Pacer.Server.Api;

/// <summary>A run as <c>GET /api/runs/{id}</c> and GraphQL's <c>run</c> show it.</summary>
[Name("Run")]
internal sealed record RunDetails(
    string Id,
    string? Name,
    string Status,
    long Jobs,
    int Priority,
    int? MaxConcurrency,
    string Mode,
    RunCounts Counts,
    double? EtaSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    RunView.ExecutionMetrics? ExecutionMetrics,
    string Results);

/// <summary>How many of a run's jobs are in each state.</summary>
[Name("RunCounts")]
internal sealed record RunCounts(long Queued, long Running, long WaitingToRetry, long Succeeded, long Failed, long Cancelled);
