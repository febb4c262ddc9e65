using System.Globalization;
using System.Text;

namespace Pacer;

/// <summary>Durations written the way rate-limit headers write them: <c>250ms</c>, <c>1.5s</c>, <c>2m30s</c>, <c>11d13h46m39s</c>.</summary>
internal static class DurationText
{
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span < TimeSpan.FromSeconds(1))
        {
            return (span.Ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        // To the nearest millisecond, so that the seconds never round up to a whole minute.
        long ticks = span.Ticks <= TimeSpan.MaxValue.Ticks - 5_000 ? span.Ticks + 5_000 : span.Ticks;
        span = TimeSpan.FromTicks(ticks - (ticks % TimeSpan.TicksPerMillisecond));
        var text = new StringBuilder();
        Append(text, span.Days, 'd');
        Append(text, span.Hours, 'h');
        Append(text, span.Minutes, 'm');
        double seconds = (span.Ticks % TimeSpan.TicksPerMinute) / (double)TimeSpan.TicksPerSecond;
        if (seconds > 0 || text.Length == 0)
        {
            text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, int value, char unit)
    {
        if (value > 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
