using System.Text.Json;

namespace Pacer.Cli.Run;

/// <summary>
/// Estimates the tokens a chat or completion request spends, before it is sent, as OpenAI's
/// cookbook does: its prompt characters ÷ 4, rounded up, plus <c>n</c> (default 1) times its
/// <c>max_tokens</c> (or <c>max_completion_tokens</c>, <c>max_output_tokens</c>; default 15 for a
/// request with <c>messages</c> or a <c>prompt</c>, none for an embedding's <c>input</c>).
/// </summary>
internal static class TokenEstimator
{
    /// <summary>The completion allowance the cookbook assumes when a request names none.</summary>
    public const long DefaultMaxTokens = 15;

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

        bool completes = body.TryGetProperty("messages", out _) || body.TryGetProperty("prompt", out _);
        long maxTokens = completes ? DefaultMaxTokens : 0;
        foreach (string field in (string[])["max_tokens", "max_completion_tokens", "max_output_tokens"])
        {
            if (body.TryGetProperty(field, out JsonElement value) && value.TryGetInt64(out long given) && given > 0)
            {
                maxTokens = given;
                break;
            }
        }

        long choices = body.TryGetProperty("n", out JsonElement n) && n.TryGetInt64(out long count) && count is > 1 and <= 128 ? count : 1;
        return Math.Max(1, ((characters + 3) / 4) + (choices * maxTokens));
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
