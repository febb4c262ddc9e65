using System.Text.Json;

namespace Pacer.Cli.Run;

/// <summary>
/// Estimates the tokens a chat or completion request spends, before it is sent: its prompt
/// characters ÷ 4, rounded up, plus its <c>max_tokens</c> (or <c>max_completion_tokens</c>).
/// </summary>
internal static class TokenEstimator
{
    public static long Estimate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return 1;
        }

        long characters = 0;
        foreach (string field in (string[])["prompt", "input", "system", "messages"])
        {
            if (body.TryGetProperty(field, out JsonElement value))
            {
                characters += CountText(value);
            }
        }

        long maxTokens = 0;
        foreach (string field in (string[])["max_tokens", "max_completion_tokens", "max_output_tokens"])
        {
            if (body.TryGetProperty(field, out JsonElement value) && value.TryGetInt64(out long n) && n > 0)
            {
                maxTokens = n;
                break;
            }
        }

        return Math.Max(1, ((characters + 3) / 4) + maxTokens);
    }

    private static long CountText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.Length,
        JsonValueKind.Array => value.EnumerateArray().Sum(CountText),
        JsonValueKind.Object => (value.TryGetProperty("content", out JsonElement content) ? CountText(content) : 0)
            + (value.TryGetProperty("text", out JsonElement text) ? CountText(text) : 0),
        _ => 0,
    };
}
