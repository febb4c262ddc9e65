using System.CommandLine.Parsing;
using Pacer.Shared;

namespace Pacer.Cli;

/// <summary>
/// Reads a duration flag once, in the one duration grammar (<see cref="DurationSyntax"/>), checking
/// its range as it reads it: a value that is not a duration in range is one error that names the
/// flag, never a second reading later with a silent fallback.
/// </summary>
internal static class DurationFlag
{
    /// <summary>A parser for a duration flag up to <paramref name="longest"/>.</summary>
    /// <param name="allowZero">Whether 0 is a value the flag takes.</param>
    /// <param name="longest">The longest duration it takes.</param>
    /// <param name="error">The error for a value it does not take, from the value as given.</param>
    public static Func<ArgumentResult, FlagDuration> Parser(bool allowZero, TimeSpan longest, Func<string, string> error) => result =>
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (DurationSyntax.TryParse(text, out TimeSpan value, allowZero) && value <= longest)
        {
            return new FlagDuration(value);
        }

        result.AddError(error(text));
        return default;
    };
}

/// <summary>A duration read from a flag; shown (in help's defaults) as the grammar writes it, e.g. 20ms.</summary>
/// <param name="Time">The duration.</param>
internal readonly record struct FlagDuration(TimeSpan Time)
{
    public override string ToString() => DurationSyntax.Format(Time);
}
