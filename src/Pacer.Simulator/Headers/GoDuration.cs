using System.Globalization;
using System.Text;

namespace Pacer.Simulator;

/// <summary>
/// Durations written and read the way Go's <c>time.Duration</c> does, which is how OpenAI sends
/// <c>x-ratelimit-reset-*</c>: <c>20ms</c>, <c>1s</c>, <c>6m0s</c>, <c>1m30.5s</c>, <c>1h0m0s</c>.
/// </summary>
internal static class GoDuration
{
    private const long NanosecondsPerTick = 100;
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Formats like Go's <c>Duration.String</c>, to the 100 ns resolution of <see cref="TimeSpan"/>.</summary>
    public static string Format(TimeSpan duration)
    {
        Int128 ns = (Int128)duration.Ticks * NanosecondsPerTick;
        if (ns == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (ns < 0)
        {
            text.Append('-');
            ns = -ns;
        }

        if (ns < NanosecondsPerSecond)
        {
            // Below a second Go picks the largest unit that keeps the number at least 1.
            (long scale, string unit) = ns < 1_000 ? (1L, "ns") : ns < 1_000_000 ? (1_000L, "µs") : (1_000_000L, "ms");
            AppendWithFraction(text, ns, scale);
            return text.Append(unit).ToString();
        }

        Int128 seconds = ns / NanosecondsPerSecond;
        Int128 hours = seconds / 3600;
        Int128 minutes = seconds / 60 % 60;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }

        AppendWithFraction(text, ns % (60 * (Int128)NanosecondsPerSecond), NanosecondsPerSecond);
        return text.Append('s').ToString();
    }

    /// <summary>
    /// Formats <paramref name="duration"/> rounded up to whole milliseconds, as OpenAI's headers show
    /// them; rounding up means a client that waits the time shown is never early.
    /// </summary>
    public static string FormatMilliseconds(TimeSpan duration)
    {
        long ticks = duration.Ticks;
        long remainder = ticks % TimeSpan.TicksPerMillisecond;
        if (remainder > 0)
        {
            ticks += TimeSpan.TicksPerMillisecond - remainder;
        }

        return Format(TimeSpan.FromTicks(ticks));
    }

    /// <summary>
    /// Parses Go's duration syntax: an optional sign and one or more decimal numbers with a unit
    /// (<c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), such as <c>1m30.5s</c>; or <c>0</c>.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text;
        bool negative = false;
        if (rest[0] is '-' or '+')
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        if (rest is "0")
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        decimal totalNs = 0;
        while (!rest.IsEmpty)
        {
            int numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            int unitLength = 0;
            while (numberLength + unitLength < rest.Length && !char.IsAsciiDigit(rest[numberLength + unitLength]) && rest[numberLength + unitLength] != '.')
            {
                unitLength++;
            }

            if (numberLength == 0 || unitLength == 0
                || !decimal.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number)
                || !TryUnit(rest.Slice(numberLength, unitLength), out long unitNs))
            {
                return false;
            }

            totalNs += number * unitNs;
            rest = rest[(numberLength + unitLength)..];
        }

        decimal ticks = Math.Ceiling(totalNs / NanosecondsPerTick);
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>, throwing a message that quotes the text.</summary>
    /// <exception cref="FormatException">The text is not a duration.</exception>
    public static TimeSpan Parse(string text, string what) =>
        TryParse(text, out var duration)
            ? duration
            : throw new FormatException($"{what} must be a duration such as 250ms, 2s or 1m30s, got '{text}'.");

    private static void AppendWithFraction(StringBuilder text, Int128 value, long scale)
    {
        text.Append(CultureInfo.InvariantCulture, $"{value / scale}");
        Int128 fraction = value % scale;
        if (fraction == 0)
        {
            return;
        }

        int digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        string padded = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        text.Append('.').Append(padded);
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out long nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => 1,
            "us" or "µs" or "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => NanosecondsPerSecond,
            "m" => 60 * NanosecondsPerSecond,
            "h" => 3600 * NanosecondsPerSecond,
            _ => 0,
        };
        return nanoseconds != 0;
    }
}
