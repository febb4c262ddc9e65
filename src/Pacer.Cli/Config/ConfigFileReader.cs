using Pacer.Cli.Config.Yaml;
using Pacer.Cli.Run;

namespace Pacer.Cli.Config;

/// <summary>Reads the top of <c>pacer.yaml</c>: its <c>lanes:</c> map, each lane by name.</summary>
internal static class ConfigFileReader
{
    private static readonly string[] s_keys = ["lanes", "server", "state", "stateDown"];

    private static readonly string[] s_serverKeys = ["apiKey"];

    /// <summary>Each lane as the file sets it, in the file's order; problems go to <paramref name="errors"/>.</summary>
    public static List<LaneSettings> Read(YamlNode? root, Func<string, string?> environment, ConfigErrors errors, out ServerSection? server)
    {
        server = null;
        const string noLanes = "no lanes; add a 'lanes:' map with at least one lane.";
        var lanes = new List<LaneSettings>();
        if (root is null or YamlScalar { IsNull: true })
        {
            errors.Add(root?.At ?? YamlMark.FileStart, noLanes);
            return lanes;
        }

        if (root is not YamlMap map)
        {
            errors.Add(root.At, $"the file must be a map with 'lanes:', got {root.Described}.");
            return lanes;
        }

        Setting<LaneStateAddress>? state = null;
        Setting<double>? stateDown = null;
        YamlNode? lanesNode = null;
        bool lanesMistyped = false;
        YamlMark lanesAt = root.At;
        foreach ((string key, YamlMark keyAt, YamlNode value) in MapEntries.Read(map, "", MessageText.Quote, errors))
        {
            if (key == "lanes")
            {
                (lanesNode, lanesAt) = (value, keyAt);
                continue;
            }

            if (key == "server")
            {
                server = ReadServer(value, environment, errors);
                continue;
            }

            if (key == "state")
            {
                state = LaneStateAddress.Read(value, "", "", environment, errors);
                continue;
            }

            if (key == "stateDown")
            {
                stateDown = ValueReader.PauseOrShare(value, "", key, errors) is { } share ? new Setting<double>(share, value.At, "") : null;
                continue;
            }

            lanesMistyped |= KeySuggestion.Closest(key, s_keys) is not null;
            string hint = value is YamlMap && KeySuggestion.Closest(key, s_keys) is null ? $"; if {MessageText.Quote(key)} is a lane, indent it under 'lanes:'" : "";
            errors.Add(keyAt, MapEntries.Unknown(key, "the file", "the file", s_keys).TrimEnd('.') + hint + ".");
        }

        if (lanesNode is YamlMap { Entries.Count: > 0 } lanesMap)
        {
            ReadLanes(lanesMap, environment, errors, lanes);

            // The file's state is every lane's that names none of its own; so is what a lane does while it is down.
            foreach (LaneSettings lane in lanes)
            {
                lane.State ??= state;
                if (lane.State is not { Value.Kind: not LaneStateKind.Local })
                {
                    if (lane.StateDown is { } own)
                    {
                        errors.Add(own.At, $"lane {MessageText.Quote(lane.Name)}: stateDown needs a shared state (state: redis://… or postgres://…, on the lane or for the whole file): it is what the lane does while that state cannot be reached.");
                    }

                    continue;
                }

                lane.StateDown ??= stateDown;
            }

            if (stateDown is not null && !lanes.Any(l => l.State is { Value.Kind: not LaneStateKind.Local }))
            {
                errors.Add(stateDown.At, "stateDown needs a shared state (state: redis://… or postgres://…, for the whole file or on a lane): it is what a lane does while that state cannot be reached.");
            }
        }
        else if (lanesNode is null && lanesMistyped)
        {
            // The mistyped key is named already; "no lanes" would say it again.
        }
        else if (lanesNode is null or YamlScalar { IsNull: true } or YamlMap)
        {
            errors.Add(lanesAt, noLanes);
        }
        else
        {
            errors.Add(lanesNode.At, $"lanes must be a map of lanes by name, got {lanesNode.Described}.");
        }

        return lanes;
    }

    /// <summary>The <c>server:</c> section: <c>apiKey</c>, a string, <c>${ENV}</c> expanded.</summary>
    private static ServerSection? ReadServer(YamlNode node, Func<string, string?> environment, ConfigErrors errors)
    {
        if (node is not YamlMap map)
        {
            errors.Add(node.At, $"server must be a map such as 'apiKey: ${{PACER_API_KEY}}', got {node.Described}.");
            return null;
        }

        string? apiKey = null;
        foreach ((string key, YamlMark at, YamlNode value) in MapEntries.Read(map, "server: ", MessageText.Quote, errors))
        {
            if (key != "apiKey")
            {
                errors.Add(at, MapEntries.Unknown(key, "server", "server", s_serverKeys));
                continue;
            }

            if (value is not YamlScalar { IsNull: false } scalar || scalar.Value.Length == 0)
            {
                errors.Add(value.At, $"server: apiKey must be a string, such as ${{PACER_API_KEY}}, got {value.Described}.");
                continue;
            }

            var problems = new List<string>();
            apiKey = EnvironmentExpander.Expand(scalar.Value, environment, "server: apiKey", problems);
            foreach (string problem in problems)
            {
                errors.Add(value.At, problem);
            }

            if (problems.Count == 0 && string.IsNullOrWhiteSpace(apiKey))
            {
                errors.Add(value.At, "server: apiKey is empty once its ${ENV} references are filled in.");
            }
        }

        return new ServerSection(apiKey);
    }

    private static void ReadLanes(YamlMap map, Func<string, string?> environment, ConfigErrors errors, List<LaneSettings> lanes)
    {
        foreach ((string name, YamlMark at, YamlNode value) in MapEntries.Read(map, "", n => $"lane {MessageText.Quote(n)}", errors))
        {
            if (LaneNameProblem(name) is { } problem)
            {
                errors.Add(at, problem);
            }

            lanes.Add(LaneReader.Read(name, at, value, environment, errors));
        }
    }

    /// <summary>Why the engine would refuse a lane named <paramref name="name"/>, or null.</summary>
    private static string? LaneNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "a lane has an empty name; give it one such as openai.";
        }

        bool wellFormed = name.Split('/').All(segment => segment.Length > 0 && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'));
        return wellFormed ? null : $"lane name {MessageText.Quote(name)} must be segments of letters, digits and -_.: joined by '/', such as openai/gpt-4o.";
    }
}
