using Pacer.Cli.Config.Yaml;

namespace Pacer.Cli.Config;

/// <summary>What one lane of <c>pacer.yaml</c> sets itself, each value with its place; null: not given.</summary>
internal sealed class LaneSettings(string name, YamlMark at)
{
    public string Name { get; } = name;

    /// <summary>Where the lane's name is written.</summary>
    public YamlMark At { get; } = at;

    public Setting<LaneBaseUrl>? BaseUrl { get; set; }

    public Setting<int>? Concurrency { get; set; }

    public Setting<RateSetting>? Rps { get; set; }

    public Setting<RateSetting>? Rpm { get; set; }

    public Setting<long>? Burst { get; set; }

    public Setting<RateSetting>? Tpm { get; set; }

    /// <summary><c>quota</c>: so many requests a day, or every so long.</summary>
    public Setting<QuotaSetting>? Quota { get; set; }

    public Setting<bool>? Adaptive { get; set; }

    public Setting<TimeSpan>? Margin { get; set; }

    public Setting<TimeSpan>? Timeout { get; set; }

    /// <summary>The longest a service's hints pause the lane (<see cref="LaneOptions.MaxPause"/>).</summary>
    public Setting<TimeSpan>? MaxPause { get; set; }

    /// <summary><c>retries</c>, or <c>retry.retries</c>.</summary>
    public Setting<int>? Retries { get; set; }

    public Setting<IReadOnlyList<int>>? Statuses { get; set; }

    public Setting<TimeSpan>? BaseDelay { get; set; }

    public Setting<TimeSpan>? MaxDelay { get; set; }

    public List<Setting<LaneHeader>> Headers { get; } = [];

    public Setting<LaneStateAddress>? State { get; set; }

    public Setting<TimeSpan>? LeaseTime { get; set; }

    /// <summary><c>stateDown</c>: the share of the limits kept alone while the shared state cannot be reached; 0 pauses.</summary>
    public Setting<double>? StateDown { get; set; }

    /// <summary>The lane's request rate, per second or per minute, if it has one.</summary>
    public Setting<RateSetting>? RequestRate => Rps ?? Rpm;

    /// <summary>The lane's own limits: a child's nest inside its parent's, by the engine's lane tree, and are never copied from it.</summary>
    public LaneOptions Limits() => LaneLimits.Build(
        Concurrency?.Value,
        [.. new[] { Rps, Rpm }.OfType<Setting<RateSetting>>().Select(r => r.Value)],
        Burst?.Value ?? 1,
        Tpm?.Value,
        Adaptive?.Value ?? false,
        Margin?.Value ?? LaneLimits.DefaultMargin,
        MaxPause?.Value,
        LeaseTime?.Value,
        StateDown?.Value ?? 0,
        Quota?.Value);
}
