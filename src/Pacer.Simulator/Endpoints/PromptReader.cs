using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>
/// Reads a chat request body (OpenAI or Anthropic shape): the model, the characters of every
/// message and system prompt (plain strings or arrays of text parts), and the token cap.
/// </summary>
internal static class PromptReader
{
    public static async Task<ReadResult<PromptRequest>> ReadAsync(HttpRequest request, bool anthropic, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Fail($"The body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            return Read(document.RootElement, anthropic);
        }
    }

    internal static ReadResult<PromptRequest> Read(JsonElement root, bool anthropic)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("The body must be a JSON object.");
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString() is not { Length: > 0 } modelName)
        {
            return Fail("model is required and must be a non-empty string.");
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return Fail("messages is required and must be a non-empty array.");
        }

        long characters = 0;
        int index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content) || !TryCountText(content, out long count))
            {
                return Fail($"messages[{index}].content must be a string or an array of text parts.");
            }

            characters += count;
            index++;
        }

        if (anthropic && root.TryGetProperty("system", out var system))
        {
            if (!TryCountText(system, out long count))
            {
                return Fail("system must be a string or an array of text blocks.");
            }

            characters += count;
        }

        int maxTokens;
        string field = anthropic ? "max_tokens" : root.TryGetProperty("max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens";
        if (root.TryGetProperty(field, out var cap) && cap.ValueKind != JsonValueKind.Null)
        {
            if (cap.ValueKind != JsonValueKind.Number || !cap.TryGetInt32(out maxTokens) || maxTokens < 1 || maxTokens > PromptConstants.MaxMaxTokens)
            {
                return Fail($"{field} must be an integer from 1 to {PromptConstants.MaxMaxTokens}, got {cap.GetRawText()}.");
            }
        }
        else if (anthropic)
        {
            return Fail("max_tokens is required.");
        }
        else
        {
            maxTokens = PromptConstants.DefaultMaxTokens;
        }

        long promptTokens = (characters + PromptConstants.CharactersPerToken - 1) / PromptConstants.CharactersPerToken;
        return ReadResult<PromptRequest>.Ok(new PromptRequest(modelName, promptTokens, maxTokens));
    }

    private static bool TryCountText(JsonElement content, out long characters)
    {
        characters = 0;
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                characters = content.GetString()!.Length;
                return true;
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Array:
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object)
                    {
                        return false;
                    }

                    // Non-text parts (images, tool calls) count as nothing here.
                    if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        characters += text.GetString()!.Length;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static ReadResult<PromptRequest> Fail(string message) => ReadResult<PromptRequest>.Fail(ApiError.Invalid(message));
}
