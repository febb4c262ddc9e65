using Pacer.Cli.Config.Yaml;
using Pacer.Cli.Run;

namespace Pacer.Cli.Config;

/// <summary>
/// The entries of a YAML map by key, each key once: a key given twice is an error naming both
/// lines (never "the last one wins"), and a key that is not a name is an error too.
/// </summary>
internal static class MapEntries
{
    /// <param name="describe">How a key given twice is named: <c>rps</c>, <c>lane 'api'</c>, <c>header 'X-Org'</c>.</param>
    /// <param name="where">What the message starts with (<c>lane 'api': </c>), or empty.</param>
    /// <param name="comparer">How keys compare: ordinal, or ignoring case for header names.</param>
    public static List<(string Key, YamlMark KeyAt, YamlNode Value)> Read(
        YamlMap map, string where, Func<string, string> describe, ConfigErrors errors, StringComparer? comparer = null)
    {
        var seen = new Dictionary<string, YamlMark>(comparer ?? StringComparer.Ordinal);
        var entries = new List<(string, YamlMark, YamlNode)>(map.Entries.Count);
        foreach ((YamlNode keyNode, YamlNode value) in map.Entries)
        {
            if (keyNode is not YamlScalar { IsNull: false } key)
            {
                errors.Add(keyNode.At, $"{where}a key must be a name, got {(keyNode is YamlScalar ? "nothing" : keyNode.Described)}.");
                continue;
            }

            if (seen.TryGetValue(key.Value, out YamlMark first))
            {
                string lines = first.Line == key.At.Line ? $"twice on line {first.Line}" : $"twice, on lines {first.Line} and {key.At.Line}";
                errors.Add(key.At, $"{where}{describe(key.Value)} is given {lines}; give it once.");
                continue;
            }

            seen.Add(key.Value, key.At);
            entries.Add((key.Value, key.At, value));
        }

        return entries;
    }

    /// <summary>The message for a key its place does not take, with the nearest known key when one is close.</summary>
    /// <param name="place">Where the key is, when the message's start does not say it: "retry"; or null.</param>
    /// <param name="taker">What takes the known keys: "a lane", "retry", "the file".</param>
    public static string Unknown(string key, string? place, string taker, string[] known)
    {
        string? near = KeySuggestion.Closest(key, known);
        string suggestion = near is null ? "" : $" (did you mean '{near}'?)";
        string inPlace = place is null ? "" : " in " + place;
        return $"unknown key {MessageText.Quote(key)}{inPlace}{suggestion}; {taker} takes {string.Join(", ", known)}.";
    }
}
