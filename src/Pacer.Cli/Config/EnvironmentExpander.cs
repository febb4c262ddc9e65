using System.Text.RegularExpressions;

namespace Pacer.Cli.Config;

/// <summary>Replaces <c>${NAME}</c> with the environment variable NAME; a variable that is not set is an error.</summary>
internal static partial class EnvironmentExpander
{
    /// <summary>
    /// <paramref name="text"/> with each reference replaced by its variable's value. With
    /// <paramref name="check"/>, the text as written and each variable's value are checked apart,
    /// so that an error names the variable that brought a bad character in (never its value).
    /// </summary>
    /// <param name="check">Why a piece cannot be used (e.g. "holds a CR (U+000D) at character 4 of its value"), or null.</param>
    public static string Expand(string text, Func<string, string?> lookup, string where, List<string> errors, Func<string, string?>? check = null)
    {
        // References are blanked to spaces of their own length, so that a position in the message is one in the text as written.
        if (check?.Invoke(Variable().Replace(text, m => new string(' ', m.Length))) is { } problem)
        {
            errors.Add($"{where} {problem}.");
        }

        return Variable().Replace(text, match =>
        {
            string name = match.Groups[1].Value;
            if (lookup(name) is not { } value)
            {
                errors.Add($"{where}: environment variable '{name}' is not set.");
                return string.Empty;
            }

            if (check?.Invoke(value) is { } valueProblem)
            {
                errors.Add($"{where}: environment variable '{name}' {valueProblem}.");
            }

            return value;
        });
    }

    /// <summary>Whether <paramref name="text"/> holds a <c>${NAME}</c> reference.</summary>
    public static bool HasReference(string text) => Variable().IsMatch(text);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
