using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pacer.Cli.Config;

namespace Pacer.Cli.Run;

/// <summary>
/// The request a line asked for, as <c>--echo-request</c> copies it into the line's result: the line's
/// JSON with the values of secret headers (Authorization, API keys) and the URL's credentials masked.
/// </summary>
internal static class RequestEcho
{
    /// <summary>The JSON to write as the result's <c>request</c>, or null for a line that is not JSON.</summary>
    public static string? Of(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var buffer = new ArrayBufferWriter<byte>(line.Length);
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(json, document.RootElement, top: true);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The URL with its user information and the values of secret-looking query keys (<c>key</c>, <c>token</c>, …) masked; the rest kept for joining.</summary>
    private static string Url(string url)
    {
        int query = url.IndexOf('?', StringComparison.Ordinal);
        int fragment = url.IndexOf('#', StringComparison.Ordinal);
        if (url.Contains('@', StringComparison.Ordinal) && (query < 0 || url.IndexOf('@', StringComparison.Ordinal) < query))
        {
            return SecretMask.Url(url);
        }

        if (query < 0 || (fragment >= 0 && fragment < query))
        {
            return url;
        }

        int end = fragment > query ? fragment : url.Length;
        IEnumerable<string> parts = url[(query + 1)..end].Split('&').Select(part =>
            part.IndexOf('=', StringComparison.Ordinal) is int eq and > 0 && SecretMask.IsSecretHeader(part[..eq]) ? part[..(eq + 1)] + SecretMask.Mask : part);
        return url[..(query + 1)] + string.Join('&', parts) + url[end..];
    }

    private static void Write(Utf8JsonWriter json, JsonElement element, bool top)
    {
        if (!top || element.ValueKind != JsonValueKind.Object)
        {
            element.WriteTo(json);
            return;
        }

        json.WriteStartObject();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            json.WritePropertyName(property.Name);
            if (property.NameEquals("headers") && property.Value.ValueKind == JsonValueKind.Object)
            {
                json.WriteStartObject();
                foreach (JsonProperty header in property.Value.EnumerateObject())
                {
                    json.WritePropertyName(header.Name);
                    if (header.Value.ValueKind == JsonValueKind.String)
                    {
                        json.WriteStringValue(SecretMask.HeaderValue(header.Name, header.Value.GetString()!));
                    }
                    else
                    {
                        header.Value.WriteTo(json);
                    }
                }

                json.WriteEndObject();
            }
            else if (property.NameEquals("url") && property.Value.ValueKind == JsonValueKind.String)
            {
                json.WriteStringValue(Url(property.Value.GetString()!));
            }
            else
            {
                property.Value.WriteTo(json);
            }
        }

        json.WriteEndObject();
    }
}
