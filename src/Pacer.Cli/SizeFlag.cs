using System.CommandLine.Parsing;

namespace Pacer.Cli;

/// <summary>Reads a size flag (8MiB, 512KiB, 1000000) once, checking it as it reads it; see <see cref="DurationFlag"/>.</summary>
internal static class SizeFlag
{
    /// <summary>A parser for a size flag of at least one byte.</summary>
    /// <param name="error">The error for a value it does not take, from the value as given.</param>
    public static Func<ArgumentResult, FlagSize> Parser(Func<string, string> error) => result =>
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (Run.SizeParser.TryParse(text, out long bytes) && bytes > 0)
        {
            return new FlagSize(bytes);
        }

        result.AddError(error(text));
        return default;
    };
}

/// <summary>A size in bytes read from a flag; shown (in help's defaults) as 8MiB.</summary>
/// <param name="Bytes">The size.</param>
internal readonly record struct FlagSize(long Bytes)
{
    public override string ToString() => Run.SizeParser.Format(Bytes).Replace(" ", "", StringComparison.Ordinal);
}
