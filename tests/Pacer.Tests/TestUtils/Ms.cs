namespace Pacer.Tests;

/// <summary>Short spellings for the durations tests compare.</summary>
internal static class Ms
{
    public static TimeSpan Of(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    public static TimeSpan[] Of(params double[] milliseconds) => [.. milliseconds.Select(TimeSpan.FromMilliseconds)];
}
