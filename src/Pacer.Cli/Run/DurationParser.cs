using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>Reads durations written as 500ms, 30s, 2m, 1h, or as a TimeSpan (00:00:30).</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        text = text.Trim();
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
                && number > 0 && double.IsFinite(number))
            {
                duration = make(number);
                return true;
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero)
        {
            return true;
        }

        duration = default;
        return false;
    }
}
