using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pacer.Cli.Run;

/// <summary>The outcome of one input line, written as one JSON line.</summary>
internal sealed record RunResult(
    long Index,
    string? IdJson,
    bool Ok,
    int? Status,
    int Attempts,
    string? Lane,
    long Milliseconds,
    byte[]? Body,
    string? Error,
    string? MetadataJson)
{
    /// <summary>The error text of a line that was cancelled before it finished; <c>--resume</c> runs such lines again.</summary>
    public const string CancelledError = "cancelled";

    public bool Cancelled => Error == CancelledError;

    /// <summary>The input line's fingerprint (see <see cref="LineFingerprint"/>); <c>--resume</c> matches results to lines by it.</summary>
    public ulong? Fingerprint { get; init; }

    /// <summary>How long the request waited for its lane before its first attempt (not written: progress shows it apart from <see cref="Milliseconds"/>).</summary>
    public long? QueuedMilliseconds { get; init; }

    /// <summary>With <c>--echo-request</c>: the request, written as <c>request</c>.</summary>
    public string? RequestJson { get; init; }

    /// <summary>Response headers worth keeping when the body is not (it was larger than the cap): written as a <c>headers</c> object.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    public static RunResult ForCancelled(InputLine line, string? lane) =>
        new(line.Index, line.IdJson, false, null, 0, lane, 0, null, CancelledError, line.MetadataJson) { RequestJson = line.RequestJson };

    public static RunResult ForBadLine(InputLine line) =>
        new(line.Index, line.IdJson, false, null, 0, null, 0, null, line.Error, line.MetadataJson) { RequestJson = line.RequestJson };

    public string ToJsonLine()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("index", Index);
            json.WritePropertyName("id");
            WriteRawOrNull(json, IdJson);
            json.WriteBoolean("ok", Ok);
            if (Status is { } status)
            {
                json.WriteNumber("status", status);
            }
            else
            {
                json.WriteNull("status");
            }

            json.WriteNumber("attempts", Attempts);
            json.WriteString("lane", Lane);
            json.WriteNumber("ms", Milliseconds);
            json.WritePropertyName("body");
            WriteBody(json, Body);
            json.WriteString("error", Error);
            if (Headers is not null)
            {
                json.WriteStartObject("headers");
                foreach ((string name, string value) in Headers)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            if (MetadataJson is not null)
            {
                json.WritePropertyName("metadata");
                json.WriteRawValue(MetadataJson);
            }

            if (RequestJson is not null)
            {
                json.WritePropertyName("request");
                json.WriteRawValue(RequestJson);
            }

            if (Fingerprint is { } fingerprint)
            {
                json.WriteString("fingerprint", LineFingerprint.Format(fingerprint));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteRawOrNull(Utf8JsonWriter json, string? raw)
    {
        if (raw is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(raw);
        }
    }

    /// <summary>The body as JSON when it is one JSON value, else as a string.</summary>
    private static void WriteBody(Utf8JsonWriter json, byte[]? body)
    {
        ReadOnlySpan<byte> utf8 = body;
        if (utf8.StartsWith(Utf8Bom))
        {
            utf8 = utf8[Utf8Bom.Length..];
        }

        if (utf8.IsEmpty)
        {
            json.WriteNullValue();
        }
        else if (!IsOneJsonValue(utf8))
        {
            json.WriteStringValue(Encoding.UTF8.GetString(utf8));
        }
        else if (utf8.IndexOfAny((byte)'\r', (byte)'\n') < 0)
        {
            // Already on one line: copied as it came, without building a document.
            json.WriteRawValue(utf8, skipInputValidation: true);
        }
        else
        {
            using JsonDocument document = JsonDocument.Parse(body.AsMemory(body!.Length - utf8.Length));
            document.RootElement.WriteTo(json);
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static bool IsOneJsonValue(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
