using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Pacer.Http.Tests.Bodies;

/// <summary><see cref="TokenUsage"/> fed seeded random bodies and event streams: it never throws, and a count it reads is never negative.</summary>
public class TokenUsageFuzzTests
{
    private const int Cases = 3000;

    private static readonly string[] s_keys =
    [
        "usage", "total_tokens", "input_tokens", "output_tokens", "prompt_tokens", "completion_tokens",
        "cache_creation_input_tokens", "message", "response", "type", "choices", "delta",
    ];

    [Fact]
    public void Read_NeverThrows_ForJsonBodies()
    {
        var fuzz = new FuzzText(seed: 8259);
        for (int i = 0; i < Cases; i++)
        {
            byte[] body = fuzz.Chance(90) ? Encoding.UTF8.GetBytes(Json(fuzz, depth: 0)) : RandomBytes(fuzz);
            AssertReads(fuzz, body, "application/json", i);
        }
    }

    [Fact]
    public void Read_NeverThrows_ForEventStreams()
    {
        var fuzz = new FuzzText(seed: 6202);
        for (int i = 0; i < Cases / 3; i++)
        {
            var events = new StringBuilder();
            for (int lines = fuzz.Next(12); lines > 0; lines--)
            {
                events.Append(fuzz.Next(6) switch
                {
                    0 => "event: " + fuzz.Unicode(8),
                    1 => "data: [DONE]",
                    2 => "data:" + fuzz.Value(),
                    3 => fuzz.Unicode(20),
                    _ => "data: " + Json(fuzz, depth: 0),
                });
                events.Append(fuzz.Pick(["\n", "\n\n", "\r\n", "\r\n\r\n", ""]));
            }

            AssertReads(fuzz, Encoding.UTF8.GetBytes(events.ToString()), "text/event-stream", i);
        }
    }

    private static void AssertReads(FuzzText fuzz, byte[] body, string mediaType, int i)
    {
        using var response = new HttpResponseMessage { Content = new ByteArrayContent(body) };
        if (fuzz.Chance(90))
        {
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        long? tokens;
        try
        {
            tokens = TokenUsage.Read(response, body);
        }
        catch (Exception e)
        {
            Assert.Fail($"Case {i} threw {e.GetType().Name}: {e.Message}{Environment.NewLine}{Encoding.UTF8.GetString(body)}");
            throw;
        }

        Assert.True(tokens is null or >= 0, $"Case {i} read {tokens}:{Environment.NewLine}{Encoding.UTF8.GetString(body)}");
    }

    /// <summary>JSON whose keys are mostly the ones usage is read from, with values of every kind, nested at random (at times past the reader's depth).</summary>
    private static string Json(FuzzText fuzz, int depth)
    {
        if (depth > 70 || (depth > 2 && fuzz.Chance(30)))
        {
            return Scalar(fuzz);
        }

        var text = new StringBuilder();
        if (fuzz.Chance(15))
        {
            text.Append('[');
            for (int n = fuzz.Next(4); n > 0; n--)
            {
                text.Append(Json(fuzz, depth + 1)).Append(n > 1 ? "," : "");
            }

            return text.Append(']').ToString();
        }

        text.Append('{');
        for (int n = 1 + fuzz.Next(4); n > 0; n--)
        {
            string key = fuzz.Chance(85) ? fuzz.Pick(s_keys) : fuzz.Unicode(5).Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal);
            text.Append('"').Append(key).Append("\":").Append(fuzz.Chance(50) ? Json(fuzz, depth + 1) : Scalar(fuzz));
            text.Append(n > 1 ? "," : "");
        }

        if (fuzz.Chance(3))
        {
            text.Append(',');
        }

        return text.Append(fuzz.Chance(97) ? "}" : "").ToString();
    }

    private static string Scalar(FuzzText fuzz) => fuzz.Next(7) switch
    {
        0 => fuzz.Number(),
        1 => fuzz.Digits(1 + fuzz.Next(40)),
        2 => "-" + fuzz.Digits(1 + fuzz.Next(20)),
        3 => "\"" + fuzz.Unicode(6).Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal) + "\"",
        4 => fuzz.Pick(["true", "false", "null", "1e400", "-1e400", "0.5", "1E2", "2147483647", "2147483648", "NaN"]),
        5 => fuzz.Next(int.MaxValue).ToString(CultureInfo.InvariantCulture),
        _ => fuzz.Blank(),
    };

    private static byte[] RandomBytes(FuzzText fuzz)
    {
        byte[] bytes = new byte[fuzz.Next(64)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)fuzz.Next(256);
        }

        return bytes;
    }
}
