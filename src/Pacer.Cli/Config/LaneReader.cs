using Pacer.Cli.Config.Yaml;
using Pacer.Cli.Run;
using Pacer.Shared;

namespace Pacer.Cli.Config;

/// <summary>Reads one lane of <c>pacer.yaml</c> into <see cref="LaneSettings"/>, adding a message for every problem.</summary>
internal static partial class LaneReader
{
    /// <summary>The keys a lane takes, in the order the docs give them.</summary>
    public static readonly string[] Keys = ["baseUrl", "concurrency", "rps", "rpm", "burst", "tpm", "quota", "adaptive", "margin", "maxPause", "retries", "retry", "timeout", "headers", "state", "leaseTime", "stateDown"];

    /// <summary>The engine's bound on <see cref="LaneOptions.PeriodMargin"/>.</summary>
    private static readonly TimeSpan s_longestMargin = TimeSpan.FromHours(1);

    /// <param name="name">The lane's name; checked by the caller.</param>
    /// <param name="at">Where the name is written.</param>
    public static LaneSettings Read(string name, YamlMark at, YamlNode value, Func<string, string?> environment, ConfigErrors errors)
    {
        var lane = new LaneSettings(name, at);
        string where = $"lane {MessageText.Quote(name)}: ";
        if (value is YamlScalar { IsNull: true })
        {
            return lane;
        }

        if (value is not YamlMap map)
        {
            // A lane key written one level too far left reads as a lane of its own ("rps: 5" beside "openai:").
            string hint = Keys.Contains(name, StringComparer.Ordinal) ? $"; if {name} belongs to the lane above, indent it under that lane" : "";
            errors.Add(at, $"{where}a lane must be a map of settings such as 'rps: 20', got {value.Described}{hint}.");
            return lane;
        }

        foreach ((string key, YamlMark keyAt, YamlNode node) in MapEntries.Read(map, where, k => MessageText.Quote(k), errors))
        {
            switch (key)
            {
                case "baseUrl":
                    lane.BaseUrl = ReadBaseUrl(node, lane, where, environment, errors);
                    break;
                case "concurrency":
                    lane.Concurrency = Set((int?)ValueReader.Whole(node, where, key, 1, int.MaxValue, errors), node, lane);
                    break;
                case "rps":
                    lane.Rps = Set(ValueReader.Rate(node, where, key, RateUnit.PerSecond, errors), node, lane);
                    break;
                case "rpm":
                    lane.Rpm = Set(ValueReader.Rate(node, where, key, RateUnit.PerMinute, errors), node, lane);
                    break;
                case "tpm":
                    lane.Tpm = Set(ValueReader.Rate(node, where, key, RateUnit.TokensPerMinute, errors), node, lane);
                    break;
                case "quota":
                    lane.Quota = Set(ValueReader.Quota(node, where, key, errors), node, lane);
                    break;
                case "burst":
                    // 0 is no burst, as nginx writes it: one start at a time, the same as 1.
                    lane.Burst = Set(ValueReader.Whole(node, where, key, 0, long.MaxValue, errors) is { } b ? Math.Max(1, b) : (long?)null, node, lane);
                    break;
                case "adaptive":
                    lane.Adaptive = Set(ValueReader.Flag(node, where, key, errors), node, lane);
                    break;
                case "margin":
                    lane.Margin = Set(ValueReader.Duration(node, where, key, "a duration such as 20ms, or 0", allowZero: true, s_longestMargin, errors), node, lane);
                    break;
                case "maxPause":
                    lane.MaxPause = Set(ValueReader.Duration(node, where, key, "a duration such as 5m, or 0 for never", allowZero: true, LaneLimits.LongestMaxPause, errors), node, lane);
                    break;
                case "timeout":
                    lane.Timeout = Set(ValueReader.Duration(node, where, key, "a positive duration such as 30s, 500ms or 2m", allowZero: false, TimeSpan.MaxValue, errors), node, lane);
                    break;
                case "retries":
                    SetRetries(lane, node, key, where, errors);
                    break;
                case "retry":
                    ReadRetry(node, lane, where, errors);
                    break;
                case "headers":
                    ReadHeaders(node, lane, where, environment, errors);
                    break;
                case "state":
                    lane.State = LaneStateAddress.Read(node, where, name, environment, errors);
                    break;
                case "leaseTime":
                    lane.LeaseTime = Set(ValueReader.Duration(node, where, key, "a duration from 1s to 1h, such as 10s", allowZero: false, TimeSpan.FromHours(1), errors), node, lane);
                    if (lane.LeaseTime is { Value: var lease } && lease < TimeSpan.FromSeconds(1))
                    {
                        errors.Add(node.At, $"{where}leaseTime must be from 1s to 1h, such as 10s, got {DurationSyntax.Format(lease)}.");
                        lane.LeaseTime = null;
                    }

                    break;
                case "stateDown":
                    lane.StateDown = Set(ValueReader.PauseOrShare(node, where, key, errors), node, lane);
                    break;
                default:
                    errors.Add(keyAt, where + MapEntries.Unknown(key, null, "a lane", Keys));
                    break;
            }
        }

        CheckTogether(lane, where, errors);
        return lane;
    }

    /// <summary>Rules between keys of one lane.</summary>
    private static void CheckTogether(LaneSettings lane, string where, ConfigErrors errors)
    {
        if (lane.Rps is { } rps && lane.Rpm is { } rpm)
        {
            errors.Add(Later(rps.At, rpm.At), $"{where}give rps or rpm, not both.");
        }

        if (lane.Adaptive is { Value: true } adaptive && lane.RequestRate is null)
        {
            errors.Add(adaptive.At, $"{where}adaptive needs rps or rpm in the same lane: the rate it adapts.");
        }

        if (lane.State is { Value.Kind: not LaneStateKind.Local } state && lane.Adaptive is { Value: true })
        {
            errors.Add(state.At, $"{where}adaptive and a shared state cannot go together: an adaptive lane learns its rate alone.");
        }

        if (lane.Burst is { } burst && lane.RequestRate is null)
        {
            errors.Add(burst.At, $"{where}burst needs rps or rpm in the same lane: it is how many of that rate's requests may start at once.");
        }
    }

    private static Setting<LaneBaseUrl>? ReadBaseUrl(YamlNode node, LaneSettings lane, string where, Func<string, string?> environment, ConfigErrors errors)
    {
        if (ValueReader.Text(node, where, "baseUrl", errors) is not { } text)
        {
            return null;
        }

        var problems = new List<string>();
        string expanded = EnvironmentExpander.Expand(text, environment, $"lane {MessageText.Quote(lane.Name)} baseUrl", problems);
        foreach (string problem in problems)
        {
            errors.Add(node.At, problem);
        }

        string shown = SecretMask.Url(text);
        if (problems.Count > 0)
        {
            return null;
        }

        if (!RequestParser.IsHttpUrl(expanded))
        {
            // Quoted as written, not expanded: a variable in it may hold a key.
            errors.Add(node.At, $"{where}baseUrl must be an absolute http or https URL, got {MessageText.Quote(shown)}.");
            return null;
        }

        return new Setting<LaneBaseUrl>(new LaneBaseUrl(WithPathSlash(new Uri(expanded)), shown), node.At, lane.Name);
    }

    /// <summary>
    /// <paramref name="url"/> with a <c>/</c> at the end of its path, so that a relative URL
    /// resolves under its last segment; the query stays after the path, as it was.
    /// </summary>
    private static Uri WithPathSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new Uri(url.GetLeftPart(UriPartial.Path) + "/" + url.Query + url.Fragment);

    private static Setting<T>? Set<T>(T? value, YamlNode node, LaneSettings lane)
        where T : struct => value is { } v ? new Setting<T>(v, node.At, lane.Name) : null;

    private static Setting<T>? Set<T>(T? value, YamlNode node, LaneSettings lane)
        where T : class => value is { } v ? new Setting<T>(v, node.At, lane.Name) : null;

    private static YamlMark Later(YamlMark a, YamlMark b) => (a.Line, a.Column).CompareTo((b.Line, b.Column)) >= 0 ? a : b;
}
