using System.Globalization;
using System.Text;

namespace Pacer.Http.Tests;

/// <summary>
/// Seeded random text of the kinds header and body readers meet: numbers of every size and sign,
/// durations, dates, structured fields nested at random, unicode, blanks. The same seed gives
/// the same sequence, so a failure names its case and can be replayed.
/// </summary>
internal sealed class FuzzText(int seed)
{
    private static readonly string[] s_units = ["ns", "us", "\u00b5s", "ms", "s", "m", "h", "d", "", "S", "\u03bcs"];

    private static readonly string[] s_oddNumbers =
    [
        "0", "-0", "+0", "00", "-1", "1", "+1", "1.", ".5", "1.5", "-1.5", "1e3", "1E-3", "NaN", "Infinity", "-Infinity", "\u221e",
        "0x10", "1_000", "1,000", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "922337203685.4775807", "922337203685", "922337204", "253402300799", "253402300800",
        "999999999999999", "-999999999999999", "1000000000", "999999999", "4294967296", "2147483648", "1.7976931348623157E+308",
        "4.9E-324", "79228162514264337593543950335", "79228162514264337593543950336", "0.0000000000000000000000000001",
    ];

    private readonly Random _random = new(seed);

    public int Next(int max) => _random.Next(max);

    public bool Chance(int percent) => _random.Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Any kind of value, chosen at random.</summary>
    public string Value() => _random.Next(9) switch
    {
        0 => Number(),
        1 => Duration(),
        2 => Date(),
        3 => StructuredField(depth: 0),
        4 => Unicode(_random.Next(40)),
        5 => Blank(),
        6 => Digits(1 + _random.Next(400)),
        7 => $"{Number()}, {StructuredField(depth: 0)}",
        _ => Pick(s_oddNumbers),
    };

    public string Number() => _random.Next(8) switch
    {
        0 => _random.Next().ToString(CultureInfo.InvariantCulture),
        1 => (-_random.NextInt64()).ToString(CultureInfo.InvariantCulture),
        2 => _random.NextInt64().ToString(CultureInfo.InvariantCulture),
        3 => Digits(1 + _random.Next(45)),
        4 => "-" + Digits(1 + _random.Next(45)),
        5 => Digits(1 + _random.Next(20)) + "." + Digits(1 + _random.Next(30)),
        6 => (_random.NextDouble() * Math.Pow(10, _random.Next(-30, 330))).ToString("R", CultureInfo.InvariantCulture),
        _ => Pick(s_oddNumbers),
    };

    public string Digits(int count)
    {
        var text = new StringBuilder(count);
        for (int i = 0; i < count; i++)
        {
            text.Append((char)('0' + _random.Next(10)));
        }

        return text.ToString();
    }

    /// <summary>Go-style durations: runs of numbers and units, valid or not.</summary>
    public string Duration()
    {
        var text = new StringBuilder();
        if (Chance(10))
        {
            text.Append(Pick(["+", "-", " "]));
        }

        for (int parts = 1 + _random.Next(5); parts > 0; parts--)
        {
            text.Append(Chance(80) ? Number() : Digits(1 + _random.Next(30))).Append(Pick(s_units));
        }

        return text.ToString();
    }

    /// <summary>RFC 3339 and HTTP dates, with fields in and out of range.</summary>
    public string Date()
    {
        string Field(int width, int max) => Chance(85)
            ? _random.Next(max).ToString(new string('0', width), CultureInfo.InvariantCulture)
            : Number();

        return _random.Next(6) switch
        {
            4 => AnyInstant().ToString("R", CultureInfo.InvariantCulture),
            5 => AnyInstant().ToString("O", CultureInfo.InvariantCulture),
            0 => $"{Field(4, 10000)}-{Field(2, 14)}-{Field(2, 33)}T{Field(2, 26)}:{Field(2, 62)}:{Field(2, 62)}{Pick(["Z", "z", "+00:00", "-14:00", "+99:99", ".123456789Z", ""])}",
            1 => $"{Pick(["Sat", "Sun", "Xyz", ""])}, {Field(2, 40)} {Pick(["Oct", "Feb", "Foo"])} {Field(4, 10000)} {Field(2, 26)}:{Field(2, 62)}:{Field(2, 62)} GMT",
            2 => $"{Pick(["Saturday", "Monday"])}, {Field(2, 40)}-Oct-{Field(2, 100)} {Field(2, 26)}:00:00 GMT",
            _ => Unicode(30),
        };
    }

    /// <summary>Any instant of the calendar, from year 1 to 9999.</summary>
    public DateTimeOffset AnyInstant() => new(_random.NextInt64(DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero);

    /// <summary>Structured-field lists and dictionaries: items, parameters and inner lists nested at random.</summary>
    public string StructuredField(int depth)
    {
        var text = new StringBuilder();
        for (int members = 1 + _random.Next(4); members > 0; members--)
        {
            if (Chance(40))
            {
                text.Append(Key()).Append('=');
            }

            text.Append(depth < 6 && Chance(15) ? "(" + StructuredField(depth + 1).Replace(",", " ", StringComparison.Ordinal) + ")" : BareItem());
            for (int parameters = _random.Next(4); parameters > 0; parameters--)
            {
                text.Append(';').Append(Pick(["q", "w", "r", "t", "qu", "pk", Key()]));
                if (Chance(90))
                {
                    text.Append('=').Append(BareItem());
                }
            }

            if (members > 1)
            {
                text.Append(Pick([", ", ",", " ,\t", ",,", " "]));
            }
        }

        return text.ToString();
    }

    public string Unicode(int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(_random.Next(8) switch
            {
                0 => (char)_random.Next(0x20, 0x7f),
                1 => (char)_random.Next(0x80, 0x800),
                2 => (char)_random.Next(0xd800, 0xe000), // lone surrogates
                3 => "\ud83d\ude00",
                4 => Pick(["\u200b", "\u202e", "\ufeff", "\u00a0", "\uffff", "\u0000", "\t", "\r\n"]),
                5 => (char)_random.Next(0x0, 0x20),
                _ => (char)_random.Next(0x30, 0x3a),
            });
        }

        return text.ToString();
    }

    public string Blank() => Pick(["", " ", "\t", "   ", " \t ", ",", " , ", ";", "=", "\"", "\"\"", ":"]);

    private string Key() => Chance(90) ? Pick(["a", "default", "p", "limit", "remaining", "reset", "x1", "*k"]) : Unicode(3);

    private string BareItem() => _random.Next(9) switch
    {
        0 => Number(),
        1 => "\"" + Unicode(_random.Next(12)).Replace("\"", "\\\"", StringComparison.Ordinal) + (Chance(90) ? "\"" : ""),
        2 => Pick(["default", "requests", "content-bytes", "*tok", "a/b:c"]),
        3 => ":" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Unicode(_random.Next(8)))) + (Chance(90) ? ":" : ""),
        4 => Pick(["?1", "?0", "?2", "?"]),
        5 => Digits(1 + _random.Next(18)),
        6 => "-" + Digits(1 + _random.Next(18)),
        7 => Digits(1 + _random.Next(14)) + "." + Digits(_random.Next(5)),
        _ => Blank(),
    };
}
