using System.Globalization;

namespace Pacer.Shared;

/// <summary>
/// The one way Pacer reads and writes durations, in every command's flags and in <c>pacer.yaml</c>:
/// numbers with units, one or several (<c>500ms</c>, <c>1.5s</c>, <c>30s</c>, <c>2m</c>, <c>1m30s</c>,
/// <c>1h</c>, <c>2d</c>; also <c>us</c>), <c>0</c>, or a clock time <c>hh:mm:ss</c>. A number without a unit is
/// refused with a hint, since <c>30</c> could mean seconds or milliseconds. Written back in the
/// largest unit that holds the value whole (<c>90s</c>, <c>2m</c>, <c>1.5s</c>).
/// </summary>
/// <remarks>Compiled into both the command line and the simulator (src/Shared), so that they read alike.</remarks>
internal static class DurationSyntax
{
    /// <summary>The units, longest first where one is a prefix of another.</summary>
    private static readonly (string Unit, long Ticks)[] s_units =
    [
        ("ms", TimeSpan.TicksPerMillisecond),
        ("us", TimeSpan.TicksPerMicrosecond),
        ("µs", TimeSpan.TicksPerMicrosecond),
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
    ];

    /// <summary>Reads a duration of at least zero; zero only when <paramref name="allowZero"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan value, bool allowZero = false) =>
        Read(text, out value) is null && (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero));

    /// <summary>
    /// What to add to a message about <paramref name="text"/> that is not a duration: a hint for a
    /// number without a unit (<c> (a number needs a unit: 30s, 30ms or 30m)</c>), or for one too long
    /// to keep; else empty.
    /// </summary>
    public static string Hint(string? text) => Read(text, out _) switch
    {
        Problem.NoUnit => string.Create(CultureInfo.InvariantCulture, $" (a number needs a unit: {text!.Trim()}s, {text.Trim()}ms or {text.Trim()}m)"),
        Problem.TooLong => " (longer than any duration Pacer keeps)",
        _ => "",
    };

    /// <summary>Whether <paramref name="text"/> reads as a duration too long to keep (such as <c>1e300h</c>).</summary>
    public static bool IsTooLong(string? text) => Read(text, out _) == Problem.TooLong;

    /// <summary>Writes <paramref name="value"/> in the largest unit that holds it whole: <c>0s</c>, <c>500ms</c>, <c>1.5s</c>, <c>90s</c>, <c>2m</c>, <c>1h</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        foreach ((long ticks, string unit) in ((long, string)[])[(TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"), (TimeSpan.TicksPerSecond, "s")])
        {
            if (value.Ticks % ticks == 0)
            {
                return (value.Ticks / ticks).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return value < TimeSpan.FromSeconds(1)
            ? (value.Ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.###", CultureInfo.InvariantCulture) + "ms"
            : value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }

    private enum Problem
    {
        None,
        Empty,
        NoUnit,
        Unreadable,
        TooLong,
    }

    private static Problem? Read(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        ReadOnlySpan<char> rest = (text ?? "").AsSpan().Trim();
        if (rest.IsEmpty)
        {
            return Problem.Empty;
        }

        if (rest is "0")
        {
            return null;
        }

        if (rest.Contains(':'))
        {
            return TimeSpan.TryParseExact(rest, "c", CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero ? null : Problem.Unreadable;
        }

        if (rest.ContainsAny('e', 'E'))
        {
            return IsTooLongNumber(rest) ? Problem.TooLong : Problem.Unreadable;
        }

        decimal ticks = 0;
        while (!rest.IsEmpty)
        {
            int digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !decimal.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            {
                return digits > 0 && IsTooLongNumber(rest) ? Problem.TooLong : Problem.Unreadable;
            }

            rest = rest[digits..];
            if (rest.IsEmpty)
            {
                return ticks == 0 ? Problem.NoUnit : Problem.Unreadable;
            }

            long unitTicks = 0;
            foreach ((string unit, long perUnit) in s_units)
            {
                if (rest.StartsWith(unit, StringComparison.OrdinalIgnoreCase))
                {
                    unitTicks = perUnit;
                    rest = rest[unit.Length..];
                    break;
                }
            }

            if (unitTicks == 0)
            {
                return Problem.Unreadable;
            }

            try
            {
                ticks += number * unitTicks;
            }
            catch (OverflowException)
            {
                return Problem.TooLong;
            }
        }

        if (ticks >= TimeSpan.MaxValue.Ticks)
        {
            return Problem.TooLong;
        }

        value = TimeSpan.FromTicks((long)Math.Ceiling(ticks));
        return null;
    }

    /// <summary>A number in exponent form (<c>1e300h</c>): readable, but no duration Pacer keeps.</summary>
    private static bool IsTooLongNumber(ReadOnlySpan<char> text) =>
        double.TryParse(text.TrimEnd("smhdSMHD"), NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number > 1e15;
}
