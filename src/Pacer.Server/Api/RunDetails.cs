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
    RunSummary? Summary,
    string Results);

/// <summary>A run that has ended: how long it took against the least time its lanes' limits allowed, and which lane took longest.</summary>
/// <param name="ElapsedSeconds">From its start to its end; null when it never started.</param>
/// <param name="LeastSeconds">The least time the limits allowed for the requests it sent; null when no lane has a limit that bounds time.</param>
/// <param name="SlowestLane">The lane that ended last (or, after a restart, the one whose limits allowed least).</param>
/// <param name="Lanes">Each lane's part.</param>
[Name("RunSummary")]
internal sealed record RunSummary(double? ElapsedSeconds, double? LeastSeconds, string? SlowestLane, IReadOnlyList<LaneSummary> Lanes);

/// <summary>One lane's part in an ended run.</summary>
/// <param name="Lane">The lane.</param>
/// <param name="Succeeded">Its jobs that succeeded.</param>
/// <param name="Failed">Its jobs that failed.</param>
/// <param name="Cancelled">Its jobs that were cancelled.</param>
/// <param name="Seconds">From the run's start to the lane's last job's end, when this process saw it.</param>
/// <param name="LeastSeconds">The least time the lane's limits allowed for its sent requests.</param>
[Name("LaneSummary")]
internal sealed record LaneSummary(string Lane, long Succeeded, long Failed, long Cancelled, double? Seconds, double? LeastSeconds);

/// <summary>How many of a run's jobs are in each state.</summary>
[Name("RunCounts")]
internal sealed record RunCounts(long Queued, long Running, long WaitingToRetry, long Succeeded, long Failed, long Cancelled);
