using Pacer.Cli.Config.Yaml;
using Pacer.Cli.Run;

namespace Pacer.Cli.Config;

internal static partial class LaneReader
{
    /// <summary>The most headers a lane sets: servers commonly refuse a request with more than 100.</summary>
    private const int MaxHeaders = 100;

    /// <summary><c>headers:</c> names to values; <c>${NAME}</c> in a value is replaced, and the result checked as a header value.</summary>
    private static void ReadHeaders(YamlNode node, LaneSettings lane, string where, Func<string, string?> environment, ConfigErrors errors)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return;
        }

        if (node is not YamlMap map)
        {
            errors.Add(node.At, $"{where}headers must be a map of header names to values, got {node.Described}.");
            return;
        }

        if (map.Entries.Count > MaxHeaders)
        {
            // Read no further: a map shared by many lanes through an alias would be read once per lane.
            errors.Add(node.At, $"{where}headers must be at most {MaxHeaders}, got {map.Entries.Count}.");
            return;
        }

        // Header names are not case-sensitive: Authorization and authorization would both be sent.
        foreach ((string header, YamlMark keyAt, YamlNode value) in MapEntries.Read(map, where, k => $"header {MessageText.Quote(k)}", errors, StringComparer.OrdinalIgnoreCase))
        {
            if (!HttpSyntax.IsToken(header))
            {
                errors.Add(keyAt, $"{where}header name {MessageText.Quote(header)} is not a token (letters, digits and !#$%&'*+-.^_`|~ only).");
                continue;
            }

            if (value is not YamlScalar scalar)
            {
                errors.Add(value.At, $"{where}header {MessageText.Quote(header)} must be a text value, got {value.Described}.");
                continue;
            }

            string template = scalar.IsNull ? string.Empty : scalar.Value;
            var problems = new List<string>();
            string expanded = EnvironmentExpander.Expand(template, environment, $"lane {MessageText.Quote(lane.Name)} header '{header}'", problems, HeaderValueProblem);
            foreach (string problem in problems)
            {
                errors.Add(value.At, problem);
            }

            lane.Headers.Add(new Setting<LaneHeader>(new LaneHeader(header, expanded, SecretMask.HeaderValue(header, template)), value.At, lane.Name));
        }
    }

    /// <summary>Why a header value (as written, or a variable's value) cannot be sent, or null.</summary>
    private static string? HeaderValueProblem(string value) =>
        HttpSyntax.ValueProblem(value) is { } problem ? $"{problem}; {HttpSyntax.ValueRule}" : null;
}
