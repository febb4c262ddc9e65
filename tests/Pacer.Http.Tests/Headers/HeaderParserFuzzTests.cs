using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Pacer.Http.Tests.Headers;

/// <summary>
/// Every header parser behind <see cref="RateLimitHeaders.Parse"/>, and Retry-After, fed seeded
/// random values: none may throw, and what they read stays within what the hints promise.
/// </summary>
public class HeaderParserFuzzTests
{
    private const int Cases = 3000;

    private static readonly string[] s_headers =
    [
        "Retry-After", "retry-after-ms",
        "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
        "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens",
        "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset",
        "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset",
        "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset",
        "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset",
        "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-resource",
        "RateLimit", "RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
        "x-should-retry",
    ];

    private static readonly HttpStatusCode[] s_statuses =
    [
        HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable, HttpStatusCode.NotFound,
    ];

    private static readonly DateTimeOffset[] s_nows =
    [
        HeaderTestTime.Now, DateTimeOffset.UnixEpoch, DateTimeOffset.MinValue, DateTimeOffset.MaxValue.AddTicks(-1), DateTimeOffset.MaxValue.AddYears(-1),
    ];

    [Fact]
    public void RateLimitHeaders_NeverThrow_AndStayInRange()
    {
        var fuzz = new FuzzText(seed: 20251025);
        for (int i = 0; i < Cases; i++)
        {
            using var response = new HttpResponseMessage(fuzz.Chance(90) ? fuzz.Pick(s_statuses) : (HttpStatusCode)(100 + fuzz.Next(900)));
            var lines = new List<string>();
            for (int headers = 1 + fuzz.Next(6); headers > 0; headers--)
            {
                string name = fuzz.Pick(s_headers);
                string value = fuzz.Value();
                if (response.Headers.TryAddWithoutValidation(name, value))
                {
                    lines.Add($"{name}: {value}");
                }
            }

            DateTimeOffset now = fuzz.Pick(s_nows);
            OutcomeHints hints;
            try
            {
                hints = RateLimitHeaders.Parse(response, new FakeTimeProvider(now));
                _ = RetryDelay.From(hints, now);
            }
            catch (Exception e)
            {
                Assert.Fail($"Case {i} (now {now:O}) threw {e.GetType().Name}: {e.Message}{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
                throw;
            }

            AssertInRange(hints, i, lines);
        }
    }

    [Fact]
    public void RetryAfter_NeverThrows_AndIsAWaitWithinTheLongest()
    {
        var fuzz = new FuzzText(seed: 9110);
        for (int i = 0; i < Cases; i++)
        {
            string text = fuzz.Chance(50) ? fuzz.Value() : fuzz.Number();
            DateTimeOffset now = fuzz.Pick(s_nows);
            TimeSpan? seconds;
            TimeSpan? milliseconds;
            try
            {
                seconds = RetryAfterHeaderParser.ParseRetryAfter(text, now);
                milliseconds = RetryAfterHeaderParser.ParseMilliseconds(text);
            }
            catch (Exception e)
            {
                Assert.Fail($"Case {i} (now {now:O}) threw {e.GetType().Name} for '{text}': {e.Message}");
                throw;
            }

            Assert.True(seconds is null || (seconds >= TimeSpan.Zero && seconds <= HeaderReader.LongestWait), $"Case {i}: '{text}' read as {seconds}.");
            Assert.True(milliseconds is null || (milliseconds >= TimeSpan.Zero && milliseconds <= HeaderReader.LongestWait), $"Case {i}: '{text}' read as {milliseconds} ms.");
        }
    }

    [Fact]
    public void GoDurationsAndTimestamps_NeverThrow()
    {
        var fuzz = new FuzzText(seed: 3339);
        for (int i = 0; i < Cases; i++)
        {
            string text = fuzz.Chance(50) ? fuzz.Duration() : fuzz.Date();
            try
            {
                if (GoDuration.TryParse(text, out TimeSpan duration))
                {
                    Assert.True(duration >= TimeSpan.Zero, $"Case {i}: '{text}' read as {duration}.");
                }

                _ = HeaderReader.TryParseRfc3339(text, out _);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Case {i} threw {e.GetType().Name} for '{text}': {e.Message}");
            }
        }
    }

    [Fact]
    public void StructuredFields_NeverThrow()
    {
        var fuzz = new FuzzText(seed: 9651);
        for (int i = 0; i < Cases; i++)
        {
            string text = fuzz.StructuredField(depth: 0);
            try
            {
                _ = StructuredFieldParser.TryParseList(text, out _);
                _ = StructuredFieldParser.TryParseDictionary(text, out _);
            }
            catch (Exception e)
            {
                Assert.Fail($"Case {i} threw {e.GetType().Name} for '{text}': {e.Message}");
            }
        }
    }

    private static void AssertInRange(OutcomeHints hints, int i, List<string> lines)
    {
        string context = $"Case {i}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
        Assert.True(hints.RetryAfter is null || (hints.RetryAfter >= TimeSpan.Zero && hints.RetryAfter <= HeaderReader.LongestWait), context);
        Assert.True(hints.RemainingRequests is null or >= 0, context);
        Assert.True(hints.RemainingTokens is null or >= 0, context);
        Assert.True(hints.RequestLimit is null or > 0, context);
        Assert.True(hints.LimitWindow is null || hints.LimitWindow > TimeSpan.Zero, context);
        Assert.True(hints.RequestLimit is null == hints.LimitWindow is null, context);
    }
}
