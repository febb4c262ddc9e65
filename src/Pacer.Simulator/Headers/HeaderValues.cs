using System.Globalization;

namespace Pacer.Simulator;

/// <summary>Formats of header values other than Go durations.</summary>
internal static class HeaderValues
{
    /// <summary>
    /// Whole seconds for <c>Retry-After</c>, rounded up so that a client that waits them is never
    /// early; a positive wait is at least 1.
    /// </summary>
    public static long RetryAfterSeconds(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? 0 : (wait.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;

    /// <summary>Whole milliseconds, rounded up, for <c>retry-after-ms</c>.</summary>
    public static long RetryAfterMilliseconds(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? 0 : (wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;

    /// <summary>
    /// An RFC 3339 UTC timestamp rounded up to the whole second, as Anthropic sends
    /// <c>anthropic-ratelimit-*-reset</c>: <c>2025-01-02T03:04:05Z</c>.
    /// </summary>
    public static string Rfc3339(DateTimeOffset instant) =>
        CeilingToSecond(instant).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Unix time in whole seconds, rounded to the nearest, as GitHub sends <c>x-ratelimit-reset</c>
    /// for a fixed window that ends on a whole second: exact, despite the sub-millisecond drift
    /// between the wall clock and the monotonic one the windows are kept on.
    /// </summary>
    public static long NearestUnixSeconds(DateTimeOffset instant) =>
        (instant.ToUniversalTime().Ticks - DateTimeOffset.UnixEpoch.Ticks + (TimeSpan.TicksPerSecond / 2)) / TimeSpan.TicksPerSecond;

    private static DateTimeOffset CeilingToSecond(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        long remainder = utc.Ticks % TimeSpan.TicksPerSecond;
        return remainder == 0 ? utc : utc.AddTicks(TimeSpan.TicksPerSecond - remainder);
    }
}
