using System.Globalization;
using Pacer.Cli.Config.Yaml;
using Pacer.Cli.Run;
using Pacer.Shared;

namespace Pacer.Cli.Config;

/// <summary>
/// Reads one value of <c>pacer.yaml</c> as its key needs it. A value that does not fit adds a
/// message naming the key as the file writes it and the value received, and reads as not given;
/// a null (<c>rps:</c> with nothing after it) is not given either.
/// </summary>
internal static class ValueReader
{
    /// <summary>Text; a number or true/false as written.</summary>
    /// <param name="where">What each message starts with: <c>lane 'api': </c>.</param>
    public static string? Text(YamlNode node, string where, string key, ConfigErrors errors) =>
        Scalar(node, where, key, "a text value", errors)?.Value;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static long? Whole(YamlNode node, string where, string key, long min, long max, ConfigErrors errors)
    {
        // A bound no one reaches on purpose (int.MaxValue and up) is said only to a value past it.
        string rule = max >= int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"a whole number from {min:#,0} up")
            : string.Create(CultureInfo.InvariantCulture, $"a whole number from {min:#,0} to {max:#,0}");
        if (Scalar(node, where, key, rule, errors) is not { } scalar)
        {
            return null;
        }

        if (scalar.Value.Length == 0 || !scalar.Value.All(char.IsAsciiDigit))
        {
            errors.Add(scalar.At, $"{where}{key} must be {rule}, got {scalar.Described}.");
            return null;
        }

        if (!long.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value > max)
        {
            errors.Add(scalar.At, string.Create(CultureInfo.InvariantCulture, $"{where}{key} must be at most {max:#,0}, got {scalar.Described}."));
            return null;
        }

        if (value < min)
        {
            errors.Add(scalar.At, $"{where}{key} must be {rule}, got {scalar.Described}.");
            return null;
        }

        return value;
    }

    /// <summary>
    /// <c>pause</c> (0), or a share above 0 and up to all: a percentage such as <c>25%</c>, or a
    /// fraction such as <c>0.25</c>.
    /// </summary>
    public static double? PauseOrShare(YamlNode node, string where, string key, ConfigErrors errors)
    {
        const string rule = "pause, or the share of the limits to keep alone, such as 25% or 0.25";
        if (Scalar(node, where, key, rule, errors) is not { } scalar)
        {
            return null;
        }

        string text = scalar.Value.Trim();
        if (text == "pause")
        {
            return 0;
        }

        bool percent = text.EndsWith('%');
        string number = percent ? text[..^1] : text;
        if (number.Length > 0 && number.All(c => char.IsAsciiDigit(c) || c == '.')
            && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            double share = percent ? value / 100 : value;
            if (share is > 0 and <= 1)
            {
                return share;
            }
        }

        errors.Add(scalar.At, $"{where}{key} must be {rule} (above 0, at most 100% or 1), got {scalar.Described}.");
        return null;
    }

    /// <summary>A quota: a whole count from 1, a slash and <c>day</c> or a duration, as in <c>1000/day</c> or <c>100/1h</c>.</summary>
    public static QuotaSetting? Quota(YamlNode node, string where, string key, ConfigErrors errors)
    {
        const string rule = "requests and how often they refill, such as 1000/day (from midnight UTC) or 100/1h";
        if (Scalar(node, where, key, rule, errors) is not { } scalar)
        {
            return null;
        }

        string text = scalar.Value.Trim();
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string count = slash < 0 ? text : text[..slash].Trim();
        string period = slash < 0 ? "" : text[(slash + 1)..].Trim();
        if (count.Length == 0 || !count.All(char.IsAsciiDigit) || !long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out long limit) || limit < 1)
        {
            errors.Add(scalar.At, $"{where}{key} must be {rule}, got {scalar.Described}.");
            return null;
        }

        if (period == "day")
        {
            return new QuotaSetting(limit, null);
        }

        if (!DurationSyntax.TryParse(period, out TimeSpan every) || every > TimeSpan.FromDays(366))
        {
            string hint = period.Length == 0 ? " (give how often it refills after a slash)" : DurationSyntax.Hint(period);
            errors.Add(scalar.At, $"{where}{key} must be {rule}, got {scalar.Described}{hint}.");
            return null;
        }

        return new QuotaSetting(limit, every);
    }

    /// <summary>A rate above 0 with at most <see cref="RateSetting.MaxDecimals"/> decimals.</summary>
    public static RateSetting? Rate(YamlNode node, string where, string key, RateUnit unit, ConfigErrors errors)
    {
        const string rule = "a number above 0, such as 20 or 0.5";
        if (Scalar(node, where, key, rule, errors) is not { } scalar)
        {
            return null;
        }

        string text = scalar.Value;
        int point = text.IndexOf('.', StringComparison.Ordinal);
        string whole = point < 0 ? text : text[..point];
        string fraction = point < 0 ? "" : text[(point + 1)..];
        if (whole.Length + fraction.Length == 0 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit)
            || (whole.Trim('0').Length == 0 && fraction.Trim('0').Length == 0))
        {
            errors.Add(scalar.At, $"{where}{key} must be {rule}, got {scalar.Described}.");
            return null;
        }

        // Checked on the text: a decimal would round a long fraction silently.
        if (fraction.TrimEnd('0').Length > RateSetting.MaxDecimals)
        {
            string slower = unit == RateUnit.PerSecond ? "; for a slower rate give rpm" : "";
            errors.Add(scalar.At, $"{where}{key} may have at most {RateSetting.MaxDecimals} decimals, got {scalar.Described}{slower}.");
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value) || value > RateSetting.MaxValue)
        {
            errors.Add(scalar.At, $"{where}{key} must be at most {RateSetting.Format(RateSetting.MaxValue)}, got {scalar.Described}.");
            return null;
        }

        return new RateSetting(value, unit);
    }

    /// <summary>true or false.</summary>
    public static bool? Flag(YamlNode node, string where, string key, ConfigErrors errors)
    {
        if (Scalar(node, where, key, "true or false", errors) is not { } scalar)
        {
            return null;
        }

        if (bool.TryParse(scalar.Value, out bool value))
        {
            return value;
        }

        errors.Add(scalar.At, $"{where}{key} must be true or false, got {scalar.Described}.");
        return null;
    }

    /// <summary>A duration as the command line's flags take it (<c>500ms</c>, <c>30s</c>, <c>1m30s</c>; see <see cref="DurationSyntax"/>), at most <paramref name="max"/>.</summary>
    /// <param name="rule">What the key takes, for the message: "a positive duration such as 30s, 500ms or 2m".</param>
    public static TimeSpan? Duration(YamlNode node, string where, string key, string rule, bool allowZero, TimeSpan max, ConfigErrors errors)
    {
        if (Scalar(node, where, key, rule, errors) is not { } scalar)
        {
            return null;
        }

        TimeSpan value;
        if (DurationSyntax.IsTooLong(scalar.Value))
        {
            // A number of units beyond TimeSpan's range (1e300h).
            value = TimeSpan.MaxValue;
        }
        else if (!DurationSyntax.TryParse(scalar.Value, out value, allowZero))
        {
            errors.Add(scalar.At, $"{where}{key} must be {rule}, got {scalar.Described}{DurationSyntax.Hint(scalar.Value)}.");
            return null;
        }

        if (value > max || value == TimeSpan.MaxValue)
        {
            errors.Add(scalar.At, max == TimeSpan.MaxValue
                ? $"{where}{key} is longer than any duration Pacer keeps, got {scalar.Described}."
                : $"{where}{key} must be at most {DurationSyntax.Format(max)}, got {scalar.Described}.");
            return null;
        }

        return value;
    }

    /// <summary>The value, or null: not given, or a map or list where a value belongs (an error).</summary>
    private static YamlScalar? Scalar(YamlNode node, string where, string key, string rule, ConfigErrors errors)
    {
        if (node is YamlScalar scalar)
        {
            return scalar.IsNull ? null : scalar;
        }

        errors.Add(node.At, $"{where}{key} must be {rule}, got {node.Described}.");
        return null;
    }
}
