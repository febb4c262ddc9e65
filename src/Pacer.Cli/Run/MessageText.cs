using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pacer.Cli.Run;

/// <summary>
/// Quotes what a user gave in an error message: on one line (control characters written as
/// <c>\uXXXX</c>) and short, so that a 5 MB field or a value with line breaks cannot flood the
/// results or break stderr into lines of its own.
/// </summary>
internal static class MessageText
{
    /// <summary>The most characters of a value an error message quotes.</summary>
    public const int MaxQuoted = 80;

    /// <summary><paramref name="text"/> between single quotes, cut to <see cref="MaxQuoted"/> characters.</summary>
    public static string Quote(string text) => "'" + OneLine(text) + "'";

    /// <summary>The JSON text of <paramref name="value"/>, cut to <see cref="MaxQuoted"/> characters.</summary>
    public static string Json(JsonElement value) => OneLine(value.GetRawText());

    /// <summary>1st, 2nd, 3rd, 4th…: which of several flags of one name.</summary>
    public static string Ordinal(int n) =>
        n.ToString(CultureInfo.InvariantCulture) + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    private static string OneLine(string text)
    {
        var shown = new StringBuilder(Math.Min(text.Length, MaxQuoted) + 8);
        int end = Math.Min(text.Length, MaxQuoted);
        for (int i = 0; i < end; i++)
        {
            char c = text[i];
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                shown.Append(c);
            }
        }

        if (text.Length > MaxQuoted)
        {
            shown.Append(CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
        }

        return shown.ToString();
    }
}
