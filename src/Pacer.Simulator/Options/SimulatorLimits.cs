namespace Pacer.Simulator;

/// <summary>
/// The hidden limits: defaults for every API key and route, and rules that replace them for some.
/// Can be replaced while the simulator runs (<see cref="SimulatorHost.UpdateLimits(SimulatorLimits)"/>
/// or <c>POST /_sim/limits</c>); counters of requests already accepted carry over.
/// </summary>
public sealed class SimulatorLimits
{
    /// <summary>Limits for every API key on every route that no rule matches.</summary>
    /// <value>Default: no limits.</value>
    public LimitOptions Default { get; set; } = new();

    /// <summary>Limits for particular keys or routes; the most specific matching rule wins.</summary>
    /// <value>Default empty.</value>
    public IList<LimitRule> Rules { get; init; } = [];

    internal void Validate(OptionsErrors errors, string field)
    {
        if (Default is null)
        {
            errors.Add($"{field}Default must not be null.");
        }
        else
        {
            Default.Validate(errors, $"{field}Default.");
        }

        if (Rules is null)
        {
            errors.Add($"{field}Rules must not be null.");
            return;
        }

        var seen = new Dictionary<(string?, SimulatorRoute?), int>();
        for (int i = 0; i < Rules.Count; i++)
        {
            string rule = $"{field}Rules[{i}]";
            if (Rules[i] is not { } r)
            {
                errors.Add($"{rule} must not be null.");
                continue;
            }

            if (r.ApiKey is { Length: 0 })
            {
                errors.Add($"{rule}.ApiKey must not be empty; leave it null to match every key.");
            }

            if (r.ApiKey is null && r.Route is null)
            {
                errors.Add($"{rule} must set ApiKey or Route; use Default for limits that apply everywhere.");
            }

            if (r.Route is { } route && !Enum.IsDefined(route))
            {
                errors.Add($"{rule}.Route must be one of {string.Join(", ", Enum.GetNames<SimulatorRoute>())}, got {(int)route}.");
            }

            if (r.Limits is null)
            {
                errors.Add($"{rule}.Limits must not be null.");
            }
            else
            {
                r.Limits.Validate(errors, $"{rule}.Limits.");
            }

            if (!seen.TryAdd((r.ApiKey, r.Route), i))
            {
                errors.Add($"{rule} duplicates {field}Rules[{seen[(r.ApiKey, r.Route)]}] ({r}).");
            }
        }
    }

    /// <summary>Checks every field and returns a private copy; throws one exception naming every problem.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names each field and value.</exception>
    internal SimulatorLimits ValidatedCopy()
    {
        var errors = new OptionsErrors();
        Validate(errors, string.Empty);
        errors.ThrowIfAny();
        return Clone();
    }

    internal SimulatorLimits Clone() => new()
    {
        Default = Default.Clone(),
        Rules = [.. Rules.Select(r => new LimitRule { ApiKey = r.ApiKey, Route = r.Route, Limits = r.Limits.Clone() })],
    };
}
