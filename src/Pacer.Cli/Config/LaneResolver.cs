using Pacer.Cli.Run;
using Pacer.Shared;

namespace Pacer.Cli.Config;

/// <summary>
/// Gives each lane of <c>pacer.yaml</c> what it inherits from its parent (see
/// <see cref="LaneShared"/>), and checks what only the lanes together can tell: that a child's
/// parent is in the file, and that its backoff bounds still fit once inherited.
/// </summary>
internal static class LaneResolver
{
    /// <summary>The lanes, each parent before its children and otherwise in the file's order.</summary>
    public static List<ConfiguredLane> Resolve(IReadOnlyList<LaneSettings> lanes, ConfigErrors errors)
    {
        Dictionary<string, LaneSettings> byName = lanes.DistinctBy(l => l.Name).ToDictionary(l => l.Name, StringComparer.Ordinal);
        var resolved = new Dictionary<string, ConfiguredLane>(StringComparer.Ordinal);

        // A parent's name is shorter than its child's by a segment: by depth, each parent comes first.
        foreach (LaneSettings lane in lanes.OrderBy(l => l.Name.Count(c => c == '/')))
        {
            string? parent = ParentName(lane.Name);
            LaneShared inherited = LaneShared.None;
            if (parent is not null && resolved.TryGetValue(parent, out ConfiguredLane? above))
            {
                inherited = above.Shared;
            }
            else if (parent is not null && !byName.ContainsKey(parent) && parent != PacerEngine.DefaultLaneName)
            {
                errors.Add(lane.At, $"lane {MessageText.Quote(lane.Name)} has no parent lane {MessageText.Quote(parent)}: add that lane (a child lane starts only when its parent has room too), or name this lane without '/'.");
            }

            LaneShared shared = LaneShared.Of(lane, inherited);
            CheckDelays(lane, shared, errors);
            resolved.TryAdd(lane.Name, new ConfiguredLane(lane, parent, shared, ToConfig(lane, shared)));
        }

        return InFileOrder(lanes, resolved);
    }

    private static string? ParentName(string name)
    {
        int slash = name.LastIndexOf('/');
        return slash > 0 ? name[..slash] : null;
    }

    /// <summary>The file's order, except that a child written before its parent comes after it: a base URL the two share then picks the parent.</summary>
    private static List<ConfiguredLane> InFileOrder(IReadOnlyList<LaneSettings> lanes, Dictionary<string, ConfiguredLane> resolved)
    {
        var ordered = new List<ConfiguredLane>(resolved.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (LaneSettings lane in lanes)
        {
            var chain = new Stack<ConfiguredLane>();
            for (string? name = lane.Name; name is not null && !placed.Contains(name) && resolved.TryGetValue(name, out ConfiguredLane? next); name = next.Parent)
            {
                chain.Push(next);
            }

            foreach (ConfiguredLane next in chain)
            {
                placed.Add(next.Own.Name);
                ordered.Add(next);
            }
        }

        return ordered;
    }

    /// <summary>A lane that sets either backoff bound is checked against the other, its own or inherited.</summary>
    private static void CheckDelays(LaneSettings lane, LaneShared shared, ConfigErrors errors)
    {
        if (lane.BaseDelay is null && lane.MaxDelay is null)
        {
            return;
        }

        LaneRetry retry = shared.Retry();
        if (retry.MaxDelay < retry.BaseDelay)
        {
            string baseFrom = From(shared.BaseDelay, lane);
            string maxFrom = shared.MaxDelay is null ? " (the default)" : From(shared.MaxDelay, lane);
            errors.Add(
                (lane.MaxDelay ?? lane.BaseDelay)!.At,
                $"lane {MessageText.Quote(lane.Name)}: retry.maxDelay must be at least retry.baseDelay ({DurationSyntax.Format(retry.BaseDelay)}{baseFrom}), got {DurationSyntax.Format(retry.MaxDelay)}{maxFrom}.");
        }
    }

    private static string From<T>(Setting<T>? setting, LaneSettings lane) =>
        setting is null || setting.Lane == lane.Name ? "" : $" from lane {MessageText.Quote(setting.Lane)}";

    /// <summary>A top lane told no concurrency takes <see cref="LaneLimits.DefaultConcurrency"/>; a child shares its parent's.</summary>
    public static bool TakesDefaultConcurrency(LaneSettings lane) => lane.Concurrency is null && !lane.Name.Contains('/', StringComparison.Ordinal);

    private static LaneOptions WithDefaultConcurrency(LaneSettings lane)
    {
        LaneOptions limits = lane.Limits();
        if (TakesDefaultConcurrency(lane))
        {
            limits.MaxConcurrency = LaneLimits.DefaultConcurrency;
        }

        return limits;
    }

    private static LaneConfig ToConfig(LaneSettings lane, LaneShared shared) => new(
        lane.Name,
        shared.BaseUrl?.Value.Url,
        WithDefaultConcurrency(lane),
        [.. shared.Headers.Select(h => new KeyValuePair<string, string>(h.Value.Name, h.Value.Value))],
        shared.Retry(),
        shared.Timeout?.Value)
    {
        ConcurrencyIsDefault = TakesDefaultConcurrency(lane),
        State = lane.State?.Value,
        ShownBaseUrl = shared.BaseUrl?.Value.Shown,
        ShownHeaders = [.. shared.Headers.Select(h => new KeyValuePair<string, string>(h.Value.Name, h.Value.Shown))],
    };
}
