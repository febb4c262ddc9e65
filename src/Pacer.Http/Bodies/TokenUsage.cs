using System.Text.Json;

namespace Pacer.Http;

/// <summary>
/// Reads the tokens a language-model answer reports having used, from the <c>usage</c> object of
/// its JSON body: OpenAI's <c>total_tokens</c> (chat completions, responses, embeddings), else
/// Anthropic's <c>input_tokens</c> + <c>cache_creation_input_tokens</c> + <c>output_tokens</c>,
/// else <c>prompt_tokens</c> + <c>completion_tokens</c>; or from the events of a streamed answer
/// (see <see cref="FromEvents"/>). Meant for <see cref="PacerHttpOptions.CostFromResponse"/>.
/// </summary>
public static class TokenUsage
{
    /// <summary>
    /// The tokens an answer's body reports, or <see langword="null"/> when it is not JSON, has no
    /// <c>usage</c>, or has no count that can be read (malformed bodies are ignored, never thrown).
    /// An event stream (<c>text/event-stream</c>: a streamed answer) is read for the last usage its
    /// events report: OpenAI's final chunk (asked for with <c>stream_options.include_usage</c>),
    /// the Responses API's <c>response.completed</c>, or Anthropic's <c>message_start</c> input
    /// with its last <c>message_delta</c> output. Has the shape of
    /// <see cref="PacerHttpOptions.CostFromResponse"/>.
    /// </summary>
    /// <param name="response">The answer (not read: its body is <paramref name="body"/>).</param>
    /// <param name="body">The answer's body, or the last whole events of a long event stream.</param>
    /// <returns>The tokens used, or <see langword="null"/>.</returns>
    public static long? Read(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Content?.Headers.ContentType?.MediaType is "text/event-stream")
        {
            return FromEvents(body.Span);
        }

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

    /// <summary>The last usage the <c>data:</c> lines of an event stream report, or <see langword="null"/>.</summary>
    /// <param name="events">The stream's bytes, from the start of an event.</param>
    /// <returns>The tokens used, or <see langword="null"/>.</returns>
    public static long? FromEvents(ReadOnlySpan<byte> events)
    {
        long? found = null;
        long? input = null;
        while (!events.IsEmpty)
        {
            int end = events.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? events : events[..end];
            events = end < 0 ? [] : events[(end + 1)..];
            if (!line.StartsWith("data:"u8) || line.IndexOf("usage"u8) < 0)
            {
                continue;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(line[5..].Trim(" \r"u8).ToArray());
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (root.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.Object
                    && message.TryGetProperty("usage", out JsonElement started) && started.ValueKind == JsonValueKind.Object)
                {
                    // Anthropic's message_start: the input, and an output that later deltas replace.
                    input = Count(started, "input_tokens") + (Count(started, "cache_creation_input_tokens") ?? 0);
                    found = FromJson(message) ?? found;
                }
                else if (FromJson(root) is { } total)
                {
                    found = total;
                }
                else if (root.TryGetProperty("response", out JsonElement completed) && FromJson(completed) is { } responseTotal)
                {
                    found = responseTotal;
                }
                else if (input is not null && root.TryGetProperty("usage", out JsonElement delta) && delta.ValueKind == JsonValueKind.Object
                    && Count(delta, "output_tokens") is { } output)
                {
                    // Anthropic's message_delta: the output so far.
                    found = input + output;
                }
            }
            catch (JsonException)
            {
                // A malformed event is passed over.
            }
        }

        return found;
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
