namespace Pacer.Simulator;

/// <summary>A snapshot of what the simulator saw: in total and per route. Served at <c>GET /_sim/stats</c>.</summary>
public sealed class SimulatorStats
{
    /// <summary>All simulated routes together.</summary>
    public RouteStats Total { get; init; } = new();

    /// <summary>Each simulated route; every route is present, seen or not.</summary>
    public IReadOnlyDictionary<SimulatorRoute, RouteStats> ByRoute { get; init; } = new Dictionary<SimulatorRoute, RouteStats>();
}
