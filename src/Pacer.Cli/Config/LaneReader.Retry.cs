using Pacer.Cli.Config.Yaml;

namespace Pacer.Cli.Config;

internal static partial class LaneReader
{
    /// <summary>The keys a lane's <c>retry:</c> takes.</summary>
    public static readonly string[] RetryKeys = ["retries", "statuses", "baseDelay", "maxDelay"];

    /// <summary>How many statuses there are from 400 to 599.</summary>
    private const int MaxStatuses = 200;

    /// <summary><c>retry:</c> <c>retries</c>, <c>statuses</c>, <c>baseDelay</c>, <c>maxDelay</c>.</summary>
    private static void ReadRetry(YamlNode node, LaneSettings lane, string where, ConfigErrors errors)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return;
        }

        if (node is not YamlMap map)
        {
            errors.Add(node.At, $"{where}retry must be a map with {string.Join(", ", RetryKeys)}, got {node.Described}.");
            return;
        }

        foreach ((string key, YamlMark keyAt, YamlNode value) in MapEntries.Read(map, where, k => "retry." + k, errors))
        {
            switch (key)
            {
                case "retries":
                    SetRetries(lane, value, "retry.retries", where, errors);
                    break;
                case "statuses":
                    lane.Statuses = ReadStatuses(value, lane, where, errors);
                    break;
                case "baseDelay":
                    lane.BaseDelay = Set(ValueReader.Duration(value, where, "retry.baseDelay", "a duration such as 500ms or 1s, or 0", allowZero: true, TimeSpan.MaxValue, errors), value, lane);
                    break;
                case "maxDelay":
                    lane.MaxDelay = Set(ValueReader.Duration(value, where, "retry.maxDelay", "a duration such as 30s or 2m, or 0", allowZero: true, TimeSpan.MaxValue, errors), value, lane);
                    break;
                default:
                    errors.Add(keyAt, where + MapEntries.Unknown(key, "retry", "retry", RetryKeys));
                    break;
            }
        }
    }

    /// <summary><c>retries</c> on the lane and <c>retry.retries</c> say the same; one lane gives one of them.</summary>
    private static void SetRetries(LaneSettings lane, YamlNode node, string key, string where, ConfigErrors errors)
    {
        if (lane.Retries is not null)
        {
            errors.Add(node.At, $"{where}give retries or retry.retries, not both.");
            return;
        }

        lane.Retries = Set((int?)ValueReader.Whole(node, where, key, 0, RetryPolicy.MaxAttemptsLimit - 1, errors), node, lane);
    }

    /// <summary>A list of statuses from 400 to 599 (one status alone is a list of one), each once, in order.</summary>
    private static Setting<IReadOnlyList<int>>? ReadStatuses(YamlNode node, LaneSettings lane, string where, ConfigErrors errors)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return null;
        }

        List<YamlNode> items = node is YamlList list ? list.Items : [node];
        if (items.Count > MaxStatuses)
        {
            // Read no further: a list shared by many lanes through an alias would be read once per lane.
            errors.Add(node.At, $"{where}retry.statuses must be HTTP error statuses from 400 to 599, got a list of {items.Count}; there are {MaxStatuses}.");
            return null;
        }

        var statuses = new SortedSet<int>();
        bool bad = false;
        foreach (YamlNode item in items)
        {
            if (item is YamlScalar { IsNull: false } scalar && int.TryParse(scalar.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int status) && status is >= 400 and <= 599)
            {
                statuses.Add(status);
                continue;
            }

            errors.Add(item.At, $"{where}retry.statuses must be HTTP error statuses from 400 to 599, got {(item is YamlScalar { IsNull: true } ? "nothing" : item.Described)}.");
            bad = true;
        }

        return bad ? null : new Setting<IReadOnlyList<int>>([.. statuses], node.At, lane.Name);
    }
}
