using System.Text.RegularExpressions;

namespace Pacer.Cli.Config;

/// <summary>Replaces <c>${NAME}</c> with the environment variable NAME; a variable that is not set is an error.</summary>
internal static partial class EnvironmentExpander
{
    public static string Expand(string text, Func<string, string?> lookup, string where, List<string> errors) =>
        Variable().Replace(text, match =>
        {
            string name = match.Groups[1].Value;
            if (lookup(name) is { } value)
            {
                return value;
            }

            errors.Add($"{where}: environment variable '{name}' is not set.");
            return string.Empty;
        });

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
