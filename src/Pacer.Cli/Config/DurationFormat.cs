using System.Globalization;

namespace Pacer.Cli.Config;

/// <summary>
/// Durations in the form <c>pacer.yaml</c> takes them, in the largest unit that holds them whole:
/// <c>0s</c>, <c>500ms</c>, <c>1.5s</c>, <c>30s</c>, <c>90s</c>, <c>2m</c>, <c>1h</c>.
/// </summary>
internal static class DurationFormat
{
    public static string Format(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "0s";
        }

        (long ticks, string unit)[] units = [(TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"), (TimeSpan.TicksPerSecond, "s")];
        foreach ((long ticks, string unit) in units)
        {
            if (span.Ticks % ticks == 0)
            {
                return (span.Ticks / ticks).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return span < TimeSpan.FromSeconds(1)
            ? (span.Ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.###", CultureInfo.InvariantCulture) + "ms"
            : span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }
}
