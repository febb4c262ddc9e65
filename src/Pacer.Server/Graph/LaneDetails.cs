using GraphQL;

namespace Pacer.Server.Graph;

/// <summary>A lane as GraphQL's <c>lanes</c> shows it: its limits and what it is doing now (never its headers).</summary>
[Name("Lane")]
internal sealed record LaneDetails(
    string Name,
    string? BaseUrl,
    int? MaxConcurrency,
    double? RequestsPerMinute,
    double? TokensPerMinute,
    int Queued,
    int Running,
    int WaitingToRetry,
    long Succeeded,
    long Failed,
    long Cancelled,
    double CurrentRequestsPerMinute,
    double? CapacityPerSecond,
    string Circuit,
    double? AdaptiveRatePerSecond,
    DateTimeOffset? PausedUntil,
    string? PauseReason)
{
    [Ignore]
    public static LaneDetails Of(ServedLane lane, LaneSnapshot snapshot) => new(
        lane.Name,
        lane.BaseUrl,
        snapshot.MaxConcurrency,
        snapshot.Rates.Count == 0 ? null : Math.Round(snapshot.Rates.Min(r => r.PerSecondRate) * 60, 3),
        snapshot.CostRates.Count == 0 ? null : Math.Round(snapshot.CostRates.Min(r => r.PerSecondRate) * 60, 3),
        snapshot.Queued,
        snapshot.Running,
        snapshot.WaitingToRetry,
        snapshot.Succeeded,
        snapshot.Failed,
        snapshot.Cancelled,
        Math.Round(snapshot.Throughput * 60, 3),
        snapshot.Capacity is { } capacity ? Math.Round(capacity, 3) : null,
        snapshot.Circuit.ToString().ToLowerInvariant(),
        snapshot.AdaptiveRate is { } adaptive ? Math.Round(adaptive, 3) : null,
        snapshot.PausedUntil,
        snapshot.Pause?.Reason.ToString());
}
