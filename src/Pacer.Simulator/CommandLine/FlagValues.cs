using System.CommandLine.Parsing;
using System.Globalization;

namespace Pacer.Simulator;

/// <summary>
/// Reads the values of the simulator's flags. A malformed value is a parse error whose message
/// names the flag and the value, such as <c>--rpm must be an integer, got 'many'.</c>
/// </summary>
internal static class FlagValues
{
    /// <summary>
    /// Adapts <paramref name="parse"/> to a custom parser of a flag with one value: the flag's name
    /// and its value go in, a <see cref="FormatException"/> comes out as a parse error.
    /// </summary>
    public static Func<ArgumentResult, T?> Single<T>(Func<string, string, T> parse) => result =>
    {
        if (result.Tokens.Count == 0)
        {
            return default;
        }

        try
        {
            return parse(FlagName(result), result.Tokens[0].Value);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return default;
        }
    };

    /// <summary>Like <see cref="Single{T}(Func{string, string, T})"/>, for a repeatable flag: one item per occurrence.</summary>
    public static Func<ArgumentResult, T[]?> Each<T>(Func<string, string, T> parse) => result =>
    {
        var items = new T[result.Tokens.Count];
        try
        {
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = parse(FlagName(result), result.Tokens[i].Value);
            }
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return [];
        }

        return items;
    };

    /// <exception cref="FormatException">Not an integer.</exception>
    public static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result)
            ? result
            : throw new FormatException($"{name} must be an integer, got '{value}'.");

    /// <exception cref="FormatException">Not a number.</exception>
    public static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result)
            ? result
            : throw new FormatException($"{name} must be a number, got '{value}'.");

    /// <summary>Reads a duration such as <c>250ms</c>, <c>2s</c> or <c>1m30s</c>, or <c>0</c>, as every Pacer command does (see <see cref="Shared.DurationSyntax"/>).</summary>
    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan Duration(string name, string value) =>
        Shared.DurationSyntax.TryParse(value, out TimeSpan duration, allowZero: true)
            ? duration
            : throw new FormatException($"{name} must be a duration such as 250ms, 2s or 1m30s, got '{value}'{Shared.DurationSyntax.Hint(value)}.");

    /// <summary>Reads <c>uniform</c> or <c>lognormal</c>, in any case.</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static LatencyDistribution Distribution(string name, string value) =>
        Enum.TryParse(value, ignoreCase: true, out LatencyDistribution result) && Enum.IsDefined(result) && !char.IsAsciiDigit(value[0])
            ? result
            : throw new FormatException($"{name} must be uniform or lognormal, got '{value}'.");

    private static string FlagName(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
