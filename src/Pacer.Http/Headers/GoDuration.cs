namespace Pacer.Http;

/// <summary>
/// Parses durations in Go's <c>time.Duration</c> text form, as OpenAI sends its resets:
/// <c>20ms</c>, <c>1s</c>, <c>6m0s</c>, <c>1m30.5s</c>, <c>2h0m0s</c>; units <c>ns</c>, <c>us</c>
/// (<c>µs</c>), <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>; a bare <c>0</c> is zero. Negative
/// durations are rejected: a reset never lies in the past.
/// </summary>
internal static class GoDuration
{
    private static readonly decimal s_maxTicks = TimeSpan.MaxValue.Ticks;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text.AsSpan();
        if (rest[0] == '+')
        {
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

        decimal ticks = 0;
        while (!rest.IsEmpty)
        {
            if (!TryReadNumber(ref rest, out decimal number) || !TryReadUnit(ref rest, out decimal ticksPerUnit))
            {
                return false;
            }

            // Compared before multiplying, so that no digit count can overflow a decimal.
            if (number > (s_maxTicks - ticks) / ticksPerUnit)
            {
                return false;
            }

            ticks += number * ticksPerUnit;
        }

        duration = TimeSpan.FromTicks((long)decimal.Ceiling(ticks));
        return true;
    }

    /// <summary>Digits with an optional fraction (<c>30</c>, <c>30.5</c>, <c>.5</c>, <c>5.</c>), not both parts empty.</summary>
    private static bool TryReadNumber(ref ReadOnlySpan<char> rest, out decimal number)
    {
        number = 0;
        int i = 0;
        int digits = 0;
        while (i < rest.Length && char.IsAsciiDigit(rest[i]))
        {
            if (digits++ > 20)
            {
                return false;
            }

            number = (number * 10) + (rest[i] - '0');
            i++;
        }

        if (i < rest.Length && rest[i] == '.')
        {
            i++;
            decimal scale = 0.1m;
            int fractionDigits = 0;
            while (i < rest.Length && char.IsAsciiDigit(rest[i]))
            {
                // Past 100-nanosecond ticks of the largest unit, further digits change nothing.
                if (fractionDigits++ < 16)
                {
                    number += (rest[i] - '0') * scale;
                    scale /= 10;
                }

                digits++;
                i++;
            }
        }

        rest = rest[i..];
        return digits > 0;
    }

    private static bool TryReadUnit(ref ReadOnlySpan<char> rest, out decimal ticksPerUnit)
    {
        int i = 0;
        while (i < rest.Length && !char.IsAsciiDigit(rest[i]) && rest[i] != '.')
        {
            i++;
        }

        ticksPerUnit = rest[..i] switch
        {
            "ns" => 0.01m,
            "us" or "\u00b5s" or "\u03bcs" => 10m,
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => 0m,
        };

        rest = rest[i..];
        return ticksPerUnit > 0;
    }
}
