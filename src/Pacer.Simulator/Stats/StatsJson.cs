using System.Text.Json;

namespace Pacer.Simulator;

/// <summary>
/// The JSON of <c>GET /_sim/stats</c>: <c>{"total":{…},"byRoute":{"chat":{…},…}}</c>, each with
/// requests, byStatus, dropped, cancelled, maxStartsPerSecond, maxStartsPer100Milliseconds,
/// maxConcurrent, inFlight and tokens.
/// </summary>
internal static class StatsJson
{
    public static void Write(Utf8JsonWriter writer, SimulatorStats stats)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("total");
        Write(writer, stats.Total);
        writer.WriteStartObject("byRoute");
        foreach (var (route, routeStats) in stats.ByRoute.OrderBy(p => p.Key))
        {
            writer.WritePropertyName(SimulatorRouteNames.Name(route));
            Write(writer, routeStats);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, RouteStats stats)
    {
        writer.WriteStartObject();
        writer.WriteNumber("requests", stats.Requests);
        writer.WriteStartObject("byStatus");
        foreach (var (status, count) in stats.ByStatus.OrderBy(p => p.Key))
        {
            writer.WriteNumber(status.ToString(System.Globalization.CultureInfo.InvariantCulture), count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("dropped", stats.Dropped);
        writer.WriteNumber("cancelled", stats.Cancelled);
        writer.WriteNumber("maxStartsPerSecond", stats.MaxStartsPerSecond);
        writer.WriteNumber("maxStartsPer100Milliseconds", stats.MaxStartsPer100Milliseconds);
        writer.WriteNumber("maxConcurrent", stats.MaxConcurrent);
        writer.WriteNumber("inFlight", stats.InFlight);
        writer.WriteNumber("tokens", stats.Tokens);
        writer.WriteEndObject();
    }
}
