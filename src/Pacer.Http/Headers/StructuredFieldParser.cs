using System.Globalization;

namespace Pacer.Http;

/// <summary>
/// Parses the Lists and Dictionaries of HTTP structured fields (RFC 9651) that rate-limit headers
/// use, following the RFC's parsing algorithms. A malformed field fails as a whole, never throws,
/// and is then ignored, as the RateLimit draft requires. Inner lists, Dates and Display Strings
/// occur in no rate-limit field and fail the parse.
/// </summary>
internal ref struct StructuredFieldParser
{
    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    private StructuredFieldParser(ReadOnlySpan<char> text)
    {
        _text = text;
    }

    private readonly bool AtEnd => _pos >= _text.Length;

    private readonly char Current => _text[_pos];

    /// <summary>Parses a List of Items, such as <c>"burst";q=100;w=60, "daily";q=1000;w=86400</c>.</summary>
    public static bool TryParseList(string? text, out List<StructuredItem> items)
    {
        items = [];
        if (text is null)
        {
            return false;
        }

        var parser = new StructuredFieldParser(text);
        parser.SkipSpaces();
        while (!parser.AtEnd)
        {
            if (!parser.TryParseItem(out StructuredItem? item))
            {
                return false;
            }

            items.Add(item);
            if (!parser.TrySkipMemberSeparator(out bool more))
            {
                return false;
            }

            if (!more)
            {
                break;
            }
        }

        return items.Count > 0;
    }

    /// <summary>Parses a Dictionary, such as <c>limit=100, remaining=50, reset=30</c>.</summary>
    public static bool TryParseDictionary(string? text, out Dictionary<string, StructuredItem> members)
    {
        members = new Dictionary<string, StructuredItem>(StringComparer.Ordinal);
        if (text is null)
        {
            return false;
        }

        var parser = new StructuredFieldParser(text);
        parser.SkipSpaces();
        while (!parser.AtEnd)
        {
            if (!parser.TryParseKey(out string? key))
            {
                return false;
            }

            StructuredItem? member;
            if (!parser.AtEnd && parser.Current == '=')
            {
                parser._pos++;
                if (!parser.TryParseItem(out member))
                {
                    return false;
                }
            }
            else
            {
                if (!parser.TryParseParameters(out Dictionary<string, object>? parameters))
                {
                    return false;
                }

                member = new StructuredItem(true, parameters);
            }

            members[key] = member;
            if (!parser.TrySkipMemberSeparator(out bool more))
            {
                return false;
            }

            if (!more)
            {
                break;
            }
        }

        return members.Count > 0;
    }

    /// <summary>After a member: the end, or optional whitespace, a comma, optional whitespace and another member.</summary>
    private bool TrySkipMemberSeparator(out bool more)
    {
        SkipWhitespace();
        more = false;
        if (AtEnd)
        {
            return true;
        }

        if (Current != ',')
        {
            return false;
        }

        _pos++;
        SkipWhitespace();
        more = true;

        // A trailing comma is malformed.
        return !AtEnd;
    }

    private bool TryParseItem(out StructuredItem item)
    {
        item = null!;
        if (!TryParseBareItem(out object? value) || !TryParseParameters(out Dictionary<string, object>? parameters))
        {
            return false;
        }

        item = new StructuredItem(value, parameters);
        return true;
    }

    private bool TryParseParameters(out Dictionary<string, object>? parameters)
    {
        parameters = null;
        while (!AtEnd && Current == ';')
        {
            _pos++;
            SkipSpaces();
            if (!TryParseKey(out string? key))
            {
                return false;
            }

            object value = true;
            if (!AtEnd && Current == '=')
            {
                _pos++;
                if (!TryParseBareItem(out value))
                {
                    return false;
                }
            }

            // A repeated key overwrites the earlier one (RFC 9651 section 4.2.3.2).
            (parameters ??= new Dictionary<string, object>(StringComparer.Ordinal))[key] = value;
        }

        return true;
    }

    private bool TryParseKey(out string key)
    {
        key = string.Empty;
        if (AtEnd || !(char.IsAsciiLetterLower(Current) || Current == '*'))
        {
            return false;
        }

        int start = _pos;
        while (!AtEnd && (char.IsAsciiLetterLower(Current) || char.IsAsciiDigit(Current) || Current is '_' or '-' or '.' or '*'))
        {
            _pos++;
        }

        key = _text[start.._pos].ToString();
        return true;
    }

    private bool TryParseBareItem(out object value)
    {
        value = null!;
        if (AtEnd)
        {
            return false;
        }

        char c = Current;
        if (c == '-' || char.IsAsciiDigit(c))
        {
            return TryParseNumber(out value);
        }

        if (c == '"')
        {
            bool ok = TryParseString(out string? s);
            value = s;
            return ok;
        }

        if (c == '*' || char.IsAsciiLetter(c))
        {
            value = ParseToken();
            return true;
        }

        if (c == ':')
        {
            bool ok = TryParseByteSequence(out byte[]? bytes);
            value = bytes;
            return ok;
        }

        if (c == '?')
        {
            bool ok = TryParseBoolean(out bool b);
            value = b;
            return ok;
        }

        return false;
    }

    private bool TryParseNumber(out object value)
    {
        value = null!;
        int start = _pos;
        if (Current == '-')
        {
            _pos++;
        }

        int digitsStart = _pos;
        int dot = -1;
        while (!AtEnd && (char.IsAsciiDigit(Current) || (Current == '.' && dot < 0)))
        {
            if (Current == '.')
            {
                if (_pos - digitsStart > 12)
                {
                    return false;
                }

                dot = _pos;
            }

            _pos++;
            if (dot < 0 && _pos - digitsStart > 15)
            {
                return false;
            }
        }

        ReadOnlySpan<char> number = _text[start.._pos];
        if (_pos == digitsStart || (dot >= 0 && (dot == digitsStart || _pos - dot - 1 is < 1 or > 3)))
        {
            return false;
        }

        if (dot < 0)
        {
            bool okInteger = long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer);
            value = integer;
            return okInteger;
        }

        bool okDecimal = decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal dec);
        value = dec;
        return okDecimal;
    }

    private bool TryParseString(out string value)
    {
        value = string.Empty;
        _pos++; // opening quote
        var builder = new System.Text.StringBuilder();
        while (!AtEnd)
        {
            char c = Current;
            _pos++;
            if (c == '\\')
            {
                if (AtEnd || Current is not ('"' or '\\'))
                {
                    return false;
                }

                builder.Append(Current);
                _pos++;
            }
            else if (c == '"')
            {
                value = builder.ToString();
                return true;
            }
            else if (c is < ' ' or > '~')
            {
                return false;
            }
            else
            {
                builder.Append(c);
            }
        }

        return false; // no closing quote
    }

    private StructuredToken ParseToken()
    {
        int start = _pos;
        _pos++;
        while (!AtEnd && IsTokenChar(Current))
        {
            _pos++;
        }

        return new StructuredToken(_text[start.._pos].ToString());
    }

    private bool TryParseByteSequence(out byte[] bytes)
    {
        bytes = [];
        _pos++; // opening colon
        int start = _pos;
        while (!AtEnd && Current != ':')
        {
            _pos++;
        }

        if (AtEnd)
        {
            return false;
        }

        ReadOnlySpan<char> base64 = _text[start.._pos];
        _pos++; // closing colon
        byte[] buffer = new byte[(base64.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(base64, buffer, out int written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }

    private bool TryParseBoolean(out bool value)
    {
        value = false;
        _pos++; // question mark
        if (AtEnd || Current is not ('0' or '1'))
        {
            return false;
        }

        value = Current == '1';
        _pos++;
        return true;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' or ':' or '/';

    private void SkipSpaces()
    {
        while (!AtEnd && Current == ' ')
        {
            _pos++;
        }
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && Current is ' ' or '\t')
        {
            _pos++;
        }
    }
}
