using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>Reads durations written as 500ms, 30s, 2m, 1h, or as a TimeSpan (00:00:30).</summary>
internal static class DurationParser
{
    /// <summary>Reads a positive duration, or also zero (written <c>0</c>, <c>0ms</c>, …) when <paramref name="allowZero"/>.</summary>
    public static bool TryParse(string text, out TimeSpan duration, bool allowZero = false)
    {
        text = text.Trim();
        if (allowZero && text == "0")
        {
            duration = TimeSpan.Zero;
            return true;
        }

        (string Suffix, Func<double, TimeSpan> Make)[] units =
        [
            ("ms", TimeSpan.FromMilliseconds),
            ("s", TimeSpan.FromSeconds),
            ("m", TimeSpan.FromMinutes),
            ("h", TimeSpan.FromHours),
        ];
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                && (number > 0 || (allowZero && number == 0)) && double.IsFinite(number))
            {
                duration = make(number);
                return true;
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && (duration > TimeSpan.Zero || (allowZero && duration == TimeSpan.Zero)))
        {
            return true;
        }

        duration = default;
        return false;
    }
}
