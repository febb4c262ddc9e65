using Microsoft.Extensions.Time.Testing;

namespace Pacer.Http.Tests.Headers;

/// <summary>The fixed "now" of the header tests.</summary>
internal static class HeaderTestTime
{
    public static readonly DateTimeOffset Now = new(2025, 10, 25, 11, 59, 30, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Now);

    public static OutcomeHints Parse(HttpResponseMessage response) => RateLimitHeaders.Parse(response, Clock());
}
