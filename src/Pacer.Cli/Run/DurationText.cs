using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>Writes a duration the way the flags take it: 500ms, 30s, 2m, 1h.</summary>
internal static class DurationText
{
    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalMilliseconds: < 1000 } => Invariant($"{duration.TotalMilliseconds:0.###}ms"),
        { TotalSeconds: < 60 } or { Seconds: not 0 } or { Milliseconds: not 0 } => Invariant($"{duration.TotalSeconds:0.###}s"),
        { TotalMinutes: < 60 } or { Minutes: not 0 } => Invariant($"{duration.TotalMinutes:0.###}m"),
        _ => Invariant($"{duration.TotalHours:0.###}h"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
