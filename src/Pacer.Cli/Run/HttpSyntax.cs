using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>
/// What RFC 9110 lets a request carry in its method and header fields. Everything read from input
/// lines, flags or <c>pacer.yaml</c> passes through here before it is sent: a header value with a
/// CR or LF would otherwise end its header early and let the rest of the value write headers, or a
/// whole second request, of its own.
/// </summary>
internal static class HttpSyntax
{
    /// <summary>What a header value may not hold, as the error messages say it.</summary>
    public const string ValueRule = "header values may hold only printable ASCII, spaces and tabs (no CR, LF, NUL or other control characters)";

    /// <summary>Whether <paramref name="text"/> is a token (RFC 9110 §5.6.2): a method or a header name.</summary>
    public static bool IsToken(string? text) => !string.IsNullOrEmpty(text) && text.All(IsTokenChar);

    /// <summary>Why <paramref name="value"/> cannot be a header value: its first bad character and where it is; null when it can.</summary>
    /// <remarks>Names the character, never the value: header values are often secrets.</remarks>
    public static string? ValueProblem(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is (>= ' ' and < '\u007F') or '\t')
            {
                continue;
            }

            string name = c switch
            {
                '\r' => "a CR",
                '\n' => "an LF",
                '\0' => "a NUL",
                _ when char.IsControl(c) => "a control character",
                _ => "a non-ASCII character",
            };
            return string.Create(CultureInfo.InvariantCulture, $"holds {name} (U+{(int)c:X4}) at character {i + 1} of its value");
        }

        return null;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
