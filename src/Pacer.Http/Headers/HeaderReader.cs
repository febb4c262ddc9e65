using System.Globalization;
using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// Reads raw response header values and turns numbers and times into values, never throwing:
/// anything malformed or out of range reads as absent.
/// </summary>
internal static class HeaderReader
{
    /// <summary>Values at or above this are Unix times in seconds (September 2001 onwards); below, delta seconds.</summary>
    public const long UnixSecondsThreshold = 1_000_000_000;

    /// <summary>The longest wait a header is read as (100 years): a longer one, or one too long to read, is this.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(36_500);

    private const long MaxWholeSeconds = long.MaxValue / TimeSpan.TicksPerSecond;

    private static readonly double s_longestWaitSeconds = LongestWait.TotalSeconds;

    /// <summary>The first value of a header, trimmed; <see langword="null"/> when absent or blank.</summary>
    public static string? First(HttpResponseMessage response, string name)
    {
        if (!response.Headers.NonValidated.TryGetValues(name, out HeaderStringValues values))
        {
            return null;
        }

        foreach (string value in values)
        {
            string trimmed = value.Trim();
            return trimmed.Length == 0 ? null : trimmed;
        }

        return null;
    }

    /// <summary>
    /// Every line of a header joined with commas, as structured-field lists are combined
    /// (RFC 9651 section 3.1); <see langword="null"/> when absent.
    /// </summary>
    public static string? Joined(HttpResponseMessage response, string name)
    {
        if (!response.Headers.NonValidated.TryGetValues(name, out HeaderStringValues values) || values.Count == 0)
        {
            return null;
        }

        return values.Count == 1 ? values.ToString() : string.Join(',', values);
    }

    /// <summary>An integer of ASCII digits with an optional leading minus sign.</summary>
    public static bool TryParseInteger(string? text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// A non-negative decimal number such as <c>20</c> or <c>1.5</c>; digits too many for a
    /// <see cref="double"/> read as <see cref="double.PositiveInfinity"/>.
    /// </summary>
    public static bool TryParseNonNegativeNumber(string? text, out double value)
    {
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value))
        {
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// A wait of <paramref name="seconds"/>, rounded up to whole ticks; at most
    /// <see cref="LongestWait"/>, however long (a service that asks for more means "not soon").
    /// <see langword="null"/> when negative.
    /// </summary>
    public static TimeSpan? Wait(double seconds) => seconds switch
    {
        >= 0 when seconds >= s_longestWaitSeconds => LongestWait,
        >= 0 => TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond)),
        _ => null,
    };

    /// <summary>A span of whole <paramref name="seconds"/>, unless it is negative or too long for a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan? Seconds(long seconds) =>
        seconds is >= 0 and <= MaxWholeSeconds ? TimeSpan.FromTicks(seconds * TimeSpan.TicksPerSecond) : null;

    /// <summary><paramref name="now"/> plus <paramref name="delta"/>, unless that leaves the calendar.</summary>
    public static DateTimeOffset? After(DateTimeOffset now, TimeSpan delta) =>
        delta <= DateTimeOffset.MaxValue - now ? now + delta : null;

    /// <summary><paramref name="now"/> plus whole <paramref name="seconds"/>, unless that is negative or leaves the calendar.</summary>
    public static DateTimeOffset? After(DateTimeOffset now, long seconds) =>
        Seconds(seconds) is { } delta ? After(now, delta) : null;

    /// <summary>A Unix time in whole seconds, unless it leaves the calendar.</summary>
    public static DateTimeOffset? FromUnixSeconds(long seconds) =>
        seconds is >= 0 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>
    /// A reset given as a number: a Unix time in seconds when it is at least
    /// <see cref="UnixSecondsThreshold"/> (as GitHub and GitLab send it), otherwise seconds from now
    /// (as the IETF drafts and many APIs send it).
    /// </summary>
    public static DateTimeOffset? ResetFromNumber(long value, DateTimeOffset now) => value switch
    {
        < 0 => null,
        >= UnixSecondsThreshold => FromUnixSeconds(value),
        _ => After(now, value),
    };

    /// <summary>
    /// An RFC 3339 timestamp (<c>2024-10-01T12:00:30Z</c>, with optional fraction and offset; <c>t</c>,
    /// <c>z</c> or a space accepted as the RFC allows).
    /// </summary>
    public static bool TryParseRfc3339(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length < 20)
        {
            return false;
        }

        Span<char> normal = text.Length <= 64 ? stackalloc char[text.Length] : new char[text.Length];
        text.AsSpan().ToUpperInvariant(normal);
        if (normal[10] == ' ')
        {
            normal[10] = 'T';
        }

        return DateTimeOffset.TryParseExact(
            normal,
            s_rfc3339Formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal,
            out value);
    }

    private static readonly string[] s_rfc3339Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];
}
