using System.CommandLine.Parsing;
using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>Reads <c>--retry-on</c> once: statuses separated by commas (429,503), or none.</summary>
internal static class RetryOnFlag
{
    public static FlagStatuses Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return new FlagStatuses([]);
        }

        var statuses = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int status))
            {
                result.AddError($"--retry-on must be statuses separated by commas, such as 429,503, or none, got '{text}'.");
                return new FlagStatuses([]);
            }

            statuses.Add(status);
        }

        return new FlagStatuses(statuses);
    }
}

/// <summary>The statuses <c>--retry-on</c> names; shown (in help's default) as 429,503.</summary>
/// <param name="Codes">The statuses.</param>
internal readonly record struct FlagStatuses(IReadOnlyList<int> Codes)
{
    public override string ToString() => Codes.Count == 0 ? "none" : string.Join(',', Codes);
}
