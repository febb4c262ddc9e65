using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>Writes JSON bodies with <see cref="Utf8JsonWriter"/> and a known length.</summary>
internal static class JsonResponse
{
    /// <summary>Plain quotes and apostrophes in messages: these bodies are JSON for programs, never HTML.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = Encoder };

    public static async Task WriteAsync<TState>(HttpResponse response, int statusCode, TState state, Action<Utf8JsonWriter, TState> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            write(writer, state);
        }

        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
