using System.Text;
using System.Text.RegularExpressions;

namespace Pacer.Cli.Tests;

/// <summary>
/// Seeded random damage to JSON input lines: bytes deleted, inserted and flipped; a field's value
/// swapped for another type, a huge number or deep nesting; unicode, NUL and CR/LF put into strings.
/// The same seed gives the same lines.
/// </summary>
/// <param name="protectedPrefix">
/// Text whose bytes are never touched by the byte-level mutations (the local server's
/// <c>http://127.0.0.1:PORT/</c>), so that a damaged line never sends to another host: a flipped
/// digit in 127.0.0.1 is a public address. Field-level mutations pick URLs on loopback only.
/// </param>
internal sealed partial class LineMutator(int seed, string? protectedPrefix = null)
{
    private static readonly string[] s_fields = ["url", "method", "headers", "body", "lane", "priority", "cost", "id", "metadata", "max_tokens", "n", "messages", "content", "X-A"];

    private static readonly string[] s_values =
    [
        "\"\"", "\"text\"", "0", "-1", "1.5", "1e400", "9223372036854775807", "9223372036854775808", "-99999999999999999999",
        "2147483648", "null", "true", "false", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"\\u0000\"", "\"a\\r\\nX-Evil: 1\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"", "\"é😀\u202E\"", "\"GE T\"", "\"ftp://127.0.0.1/x\"", "\"http://127.0.0.1:1/x\"",
        "\"//127.0.0.1:1/x\"", "\"relative/path?key=v\"", "\"http://[::1]:1/\"", "\"default\"", "\"high\"", "\"16\"",
    ];

    private static readonly string[] s_insertions =
    [
        "\\r\\n", "\\n", "\\u0000", "\\ud800", "\\\"", "é", "😀", "\u202E", "\uFEFF", "\0", "\r\n", "{", "}", "[", "]", ",", ":", "\"", "\\",
    ];

    private readonly Random _random = new(seed);

    /// <summary>One to three mutations of <paramref name="line"/>, as UTF-8 bytes (possibly invalid UTF-8).</summary>
    public byte[] Mutate(string line)
    {
        string text = line;
        int rounds = _random.Next(1, 4);
        byte[]? bytes = null;
        for (int i = 0; i < rounds; i++)
        {
            switch (_random.Next(8))
            {
                case 0:
                    text = SwapValue(text);
                    bytes = null;
                    break;
                case 1:
                    text = HugeNumber(text);
                    bytes = null;
                    break;
                case 2:
                    text = Nest(text);
                    bytes = null;
                    break;
                case 3:
                case 4:
                    text = Insert(text, s_insertions[_random.Next(s_insertions.Length)]);
                    bytes = null;
                    break;
                default:
                    bytes = MutateBytes(bytes ?? Encoding.UTF8.GetBytes(text));
                    text = Encoding.UTF8.GetString(bytes);
                    break;
            }
        }

        return bytes ?? Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The value of one field (found by name) replaced by another of any type.</summary>
    private string SwapValue(string text)
    {
        string field = s_fields[_random.Next(s_fields.Length)];
        Match match = Regex.Match(text, $"\"{Regex.Escape(field)}\":");
        if (!match.Success)
        {
            return text.Length > 1 && text[0] == '{' ? $"{{\"{field}\":{s_values[_random.Next(s_values.Length)]},{text[1..]}" : text;
        }

        int start = match.Index + match.Length;
        int end = ValueEnd(text, start);
        return text[..start] + s_values[_random.Next(s_values.Length)] + text[end..];
    }

    private string HugeNumber(string text)
    {
        MatchCollection numbers = Digits().Matches(text);
        if (numbers.Count == 0)
        {
            return text;
        }

        Match number = numbers[_random.Next(numbers.Count)];
        if (Protects(text, number.Index, number.Length))
        {
            return text;
        }

        string[] huge = ["9223372036854775807", "99999999999999999999999999", "1e308", "-9223372036854775808", "4294967296"];
        return text[..number.Index] + huge[_random.Next(huge.Length)] + text[(number.Index + number.Length)..];
    }

    private string Nest(string text)
    {
        int colon = text.IndexOf(':', _random.Next(text.Length));
        if (colon < 0 || Protects(text, colon, 1))
        {
            return text;
        }

        int depth = _random.Next(2) == 0 ? _random.Next(1, 60) : _random.Next(60, 2000);
        int end = ValueEnd(text, colon + 1);
        return text[..(colon + 1)] + new string('[', depth) + text[(colon + 1)..end] + new string(']', depth) + text[end..];
    }

    private string Insert(string text, string what)
    {
        int at = _random.Next(text.Length + 1);
        return Protects(text, at, 0) ? text : text[..at] + what + text[at..];
    }

    private byte[] MutateBytes(byte[] bytes)
    {
        var list = new List<byte>(bytes);
        int at = _random.Next(list.Count + 1);
        if (Protects(bytes, at, 3))
        {
            return bytes;
        }

        switch (_random.Next(3))
        {
            case 0 when at < list.Count:
                list.RemoveRange(at, Math.Min(_random.Next(1, 4), list.Count - at));
                break;
            case 1 when at < list.Count:
                list[at] ^= (byte)(1 << _random.Next(8));
                break;
            default:
                list.Insert(at, (byte)_random.Next(256));
                break;
        }

        return [.. list];
    }

    /// <summary>Whether the span from <paramref name="at"/> touches the protected prefix anywhere in <paramref name="text"/>.</summary>
    private bool Protects(string text, int at, int length)
    {
        if (protectedPrefix is null)
        {
            return false;
        }

        for (int start = text.IndexOf(protectedPrefix, StringComparison.Ordinal); start >= 0; start = text.IndexOf(protectedPrefix, start + 1, StringComparison.Ordinal))
        {
            if (at + length >= start && at <= start + protectedPrefix.Length)
            {
                return true;
            }
        }

        return false;
    }

    private bool Protects(byte[] bytes, int at, int length)
    {
        if (protectedPrefix is null)
        {
            return false;
        }

        byte[] prefix = Encoding.UTF8.GetBytes(protectedPrefix);
        for (int offset = 0; offset < bytes.Length;)
        {
            int found = bytes.AsSpan(offset).IndexOf(prefix);
            if (found < 0)
            {
                return false;
            }

            int start = offset + found;
            if (at + length >= start && at <= start + prefix.Length)
            {
                return true;
            }

            offset = start + 1;
        }

        return false;
    }

    /// <summary>Where the JSON value starting at <paramref name="start"/> ends: its closing bracket or quote, else the next comma or brace.</summary>
    private static int ValueEnd(string text, int start)
    {
        int depth = 0;
        bool inString = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}' when depth > 0:
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case ',' or '}' or ']' when depth == 0:
                    return i;
            }
        }

        return text.Length;
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
