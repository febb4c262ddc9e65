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

    /// <summary>The most choices OpenAI takes in <c>n</c>.</summary>
    public const long MaxChoices = 128;

    private static readonly string[] s_maxTokenFields = ["max_tokens", "max_completion_tokens", "max_output_tokens"];

    /// <summary>
    /// Why <paramref name="body"/> gives no estimate, or null: each of <c>max_tokens</c>,
    /// <c>max_completion_tokens</c>, <c>max_output_tokens</c> and <c>n</c> it has must be null or a
    /// whole number from 1 (<c>n</c> up to 128). Another value would make the estimate a guess, and
    /// the services that read these fields refuse it anyway.
    /// </summary>
    public static string? Problem(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (string field in s_maxTokenFields)
        {
            if (body.TryGetProperty(field, out JsonElement value) && value.ValueKind != JsonValueKind.Null && WholeFromOne(value) is null)
            {
                return $"body field \"{field}\" must be a whole number from 1 or null, got {MessageText.Json(value)}";
            }
        }

        if (body.TryGetProperty("n", out JsonElement n) && n.ValueKind != JsonValueKind.Null && WholeFromOne(n) is not (not null and <= MaxChoices))
        {
            return $"body field \"n\" must be a whole number from 1 to {MaxChoices} or null, got {MessageText.Json(n)}";
        }

        return null;
    }

    /// <summary>The estimate; a field <see cref="Problem"/> objects to counts as absent. Never less than 1; at most <see cref="long.MaxValue"/>.</summary>
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
        foreach (string field in s_maxTokenFields)
        {
            if (body.TryGetProperty(field, out JsonElement value) && WholeFromOne(value) is { } given)
            {
                maxTokens = given;
                break;
            }
        }

        long choices = body.TryGetProperty("n", out JsonElement n) && WholeFromOne(n) is { } count and <= MaxChoices ? count : 1;
        long prompt = (characters + 3) / 4;

        // A max_tokens near long.MaxValue times n would wrap around to a small cost.
        long completion = maxTokens > (long.MaxValue - prompt) / choices ? long.MaxValue - prompt : choices * maxTokens;
        return Math.Max(1, prompt + completion);
    }

    private static long? WholeFromOne(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) && number >= 1 ? number : null;

    private static long CountText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.Length,
        JsonValueKind.Array => value.EnumerateArray().Sum(CountText),
        JsonValueKind.Object => (value.TryGetProperty("content", out JsonElement content) ? CountText(content) : 0)
            + (value.TryGetProperty("text", out JsonElement text) ? CountText(text) : 0),
        _ => 0,
    };
}
