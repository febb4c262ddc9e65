using System.Text.Json;

namespace Pacer.Http;

/// <summary>
/// Reads the tokens a language-model answer reports having used, from the <c>usage</c> object of
/// its JSON body: OpenAI's <c>total_tokens</c> (chat completions, responses, embeddings), else
/// Anthropic's <c>input_tokens</c> + <c>cache_creation_input_tokens</c> + <c>output_tokens</c>,
/// else <c>prompt_tokens</c> + <c>completion_tokens</c>. Meant for
/// <see cref="PacerHttpOptions.CostFromResponse"/>.
/// </summary>
public static class TokenUsage
{
    /// <summary>
    /// The tokens an answer's body reports, or <see langword="null"/> when it is not JSON, has no
    /// <c>usage</c>, or has no count that can be read (malformed bodies are ignored, never thrown).
    /// Has the shape of <see cref="PacerHttpOptions.CostFromResponse"/>.
    /// </summary>
    /// <param name="response">The answer (not read: its body is <paramref name="body"/>).</param>
    /// <param name="body">The answer's body.</param>
    /// <returns>The tokens used, or <see langword="null"/>.</returns>
    public static long? Read(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The tokens the <c>usage</c> object of <paramref name="root"/> reports, or <see langword="null"/>.</summary>
    /// <param name="root">A response body's top-level JSON value.</param>
    /// <returns>The tokens used, or <see langword="null"/>.</returns>
    public static long? FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("usage", out JsonElement usage)
            || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (Count(usage, "total_tokens") is { } total)
        {
            return total;
        }

        if (Count(usage, "input_tokens") is { } input && Count(usage, "output_tokens") is { } output)
        {
            return input + output + (Count(usage, "cache_creation_input_tokens") ?? 0);
        }

        return Count(usage, "prompt_tokens") is { } prompt && Count(usage, "completion_tokens") is { } completion
            ? prompt + completion
            : null;
    }

    private static long? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out long count) && count is >= 0 and <= int.MaxValue
            ? count
            : null;
}
