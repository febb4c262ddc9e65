namespace Pacer.Simulator;

/// <summary>
/// Limits for one API key, one route, or one key on one route, replacing the defaults there.
/// The most specific rule wins: key and route, then key, then route, then
/// <see cref="SimulatorLimits.Default"/>. Each key keeps separate counters on each route.
/// </summary>
public sealed class LimitRule
{
    /// <summary>The API key the rule applies to.</summary>
    /// <value>Default <see langword="null"/>: every key. Not empty when set.</value>
    public string? ApiKey { get; set; }

    /// <summary>The route the rule applies to.</summary>
    /// <value>Default <see langword="null"/>: every route.</value>
    public SimulatorRoute? Route { get; set; }

    /// <summary>The limits that apply where the rule matches.</summary>
    /// <value>Default: no limits.</value>
    public LimitOptions Limits { get; set; } = new();

    /// <inheritdoc/>
    public override string ToString() =>
        $"ApiKey {(ApiKey is null ? "any" : $"'{ApiKey}'")}, Route {(Route is { } route && Enum.IsDefined(route) ? SimulatorRouteNames.Name(route) : "any")}";
}
