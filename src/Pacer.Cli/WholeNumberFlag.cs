using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Pacer.Cli;

/// <summary>
/// Reads a whole-number flag once, checking its range as it reads it: a value that is not a whole
/// number in range is one error that names the flag and what it takes, never an exception later.
/// </summary>
internal static class WholeNumberFlag
{
    /// <summary>A parser for a flag of type <typeparamref name="T"/> from <paramref name="min"/> to <paramref name="max"/>; <paramref name="whenAbsent"/> when it is not given.</summary>
    public static Func<ArgumentResult, T> Parser<T>(T min, T max, T whenAbsent)
        where T : IBinaryInteger<T>, IMinMaxValue<T> => result =>
    {
        if (result.Tokens.Count == 0)
        {
            return whenAbsent;
        }

        string name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        string text = result.Tokens[0].Value;
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T? value) && value >= min && value <= max)
        {
            return value;
        }

        string range = (min == T.MinValue, max == T.MaxValue) switch
        {
            (true, true) => "",
            (false, true) => string.Create(CultureInfo.InvariantCulture, $" from {min}"),
            _ => string.Create(CultureInfo.InvariantCulture, $" from {min} to {max}"),
        };
        result.AddError(text.StartsWith("--", StringComparison.Ordinal)
            ? $"{name} needs a whole number{range} after it, got the flag '{text}'."
            : $"{name} must be a whole number{range}, got '{text}'.");
        return whenAbsent;
    };
}
