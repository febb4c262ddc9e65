using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pacer.Server.Api;

/// <summary>The lanes under <c>/api/lanes</c>: their limits and what each is doing now.</summary>
internal static class LaneEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        RouteGroupBuilder lanes = api.MapGroup("/lanes").WithTags("lanes");
        lanes.MapGet("/", (IRequestFormat format, PacerEngine engine) => Results.Ok(new { lanes = format.Lanes.Select(l => Of(l, engine.GetLaneSnapshot(l.Name))) }))
            .WithSummary("Each lane's limits and live snapshot.");
        lanes.MapGet("/{name}", (string name, IRequestFormat format, PacerEngine engine) =>
                format.Lanes.FirstOrDefault(l => l.Name == name) is { } lane
                    ? Results.Ok(Of(lane, engine.GetLaneSnapshot(lane.Name)))
                    : Problems.NotFound($"There is no lane '{QueryValue.Shorten(name)}'; the lanes are {string.Join(", ", format.Lanes.Select(l => $"'{l.Name}'"))}."))
            .WithSummary("One lane's limits and live snapshot.");
    }

    private static object Of(ServedLane lane, LaneSnapshot snapshot) => new
    {
        name = lane.Name,
        baseUrl = lane.BaseUrl,
        limits = new
        {
            maxConcurrency = snapshot.MaxConcurrency,
            rates = snapshot.Rates.Select(Rate),
            costRates = snapshot.CostRates.Select(Rate),
        },
        now = new
        {
            queued = snapshot.Queued,
            running = snapshot.Running,
            waitingToRetry = snapshot.WaitingToRetry,
            succeeded = snapshot.Succeeded,
            failed = snapshot.Failed,
            cancelled = snapshot.Cancelled,
            retries = snapshot.Retries,
            throughputPerSecond = Math.Round(snapshot.Throughput, 3),
            capacityPerSecond = snapshot.Capacity is { } capacity ? Math.Round(capacity, 3) : (double?)null,
            averageLatencyMs = Math.Round(snapshot.AverageLatency.TotalMilliseconds, 1),
            circuit = snapshot.Circuit.ToString().ToLowerInvariant(),
            adaptiveRatePerSecond = snapshot.AdaptiveRate is { } adaptive ? Math.Round(adaptive, 3) : (double?)null,
            adaptivePhase = snapshot.AdaptivePhase?.ToString().ToLowerInvariant(),
            pausedUntil = snapshot.PausedUntil,
            pauseReason = snapshot.Pause?.Reason.ToString(),
            quotaRemaining = snapshot.QuotaRemaining,
            quotaRefillsAt = snapshot.QuotaRefillsAt,
        },
    };

    private static object Rate(RateLimit rate) => new
    {
        permits = rate.Permits,
        periodSeconds = rate.Period.TotalSeconds,
        burst = rate.Burst,
        perMinute = Math.Round(rate.PerSecondRate * 60, 3),
    };
}
