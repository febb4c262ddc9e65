namespace Pacer.Simulator;

/// <summary>
/// A validated set of limits, indexed so that the most specific rule for a key and route is found
/// with at most three lookups: key and route, key, route, then the default.
/// </summary>
internal sealed class LimitBook
{
    private readonly Dictionary<(string?, SimulatorRoute?), LimitOptions> _rules = [];

    public LimitBook(SimulatorLimits validated)
    {
        Limits = validated;
        foreach (var rule in validated.Rules)
        {
            _rules.Add((rule.ApiKey, rule.Route), rule.Limits);
        }
    }

    /// <summary>The limits this book was made from; not to be changed.</summary>
    public SimulatorLimits Limits { get; }

    public LimitOptions Resolve(string apiKey, SimulatorRoute route) =>
        _rules.GetValueOrDefault((apiKey, route))
        ?? _rules.GetValueOrDefault((apiKey, null))
        ?? _rules.GetValueOrDefault((null, route))
        ?? Limits.Default;
}
