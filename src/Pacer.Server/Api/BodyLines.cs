using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Server.Api;

/// <summary>
/// Reads a run's lines from a request body: JSON lines (<c>application/x-ndjson</c>, also
/// <c>application/jsonl</c> and <c>text/plain</c>), or a JSON array whose every element is one line.
/// Blank lines at the end are not lines; a blank line before them is one, and its result says so.
/// </summary>
internal static class BodyLines
{
    public sealed record Read(List<string>? Lines, IResult? Problem);

    public static async Task<Read> ReadAsync(HttpRequest request, int maxLines, CancellationToken cancellationToken)
    {
        string mediaType = request.ContentType is { } type ? type.Split(';')[0].Trim().ToLowerInvariant() : "application/x-ndjson";
        return mediaType switch
        {
            "application/json" => await ReadArrayAsync(request.Body, maxLines, cancellationToken).ConfigureAwait(false),
            "application/x-ndjson" or "application/jsonl" or "application/jsonlines" or "text/plain" => await ReadLinesAsync(request.Body, maxLines, cancellationToken).ConfigureAwait(false),
            _ => new Read(null, Problems.UnsupportedMediaType(
                $"Content-Type '{QueryValue.Shorten(mediaType)}' is not taken: send JSON lines as application/x-ndjson, or a JSON array of request objects as application/json.")),
        };
    }

    private static async Task<Read> ReadLinesAsync(Stream body, int maxLines, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        int trailingBlank = 0;
        using var reader = new StreamReader(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (lines.Count - trailingBlank >= maxLines && !string.IsNullOrWhiteSpace(line))
                {
                    return new Read(null, Problems.TooLarge($"A run holds at most {maxLines} jobs (--max-jobs); line {lines.Count + 1} is one too many.", maxLines));
                }

                trailingBlank = string.IsNullOrWhiteSpace(line) ? trailingBlank + 1 : 0;
                lines.Add(line);
            }
        }
        catch (DecoderFallbackException e)
        {
            return new Read(null, Problems.BadRequest($"Line {lines.Count + 1} is not UTF-8: {e.Message}", "body"));
        }

        lines.RemoveRange(lines.Count - trailingBlank, trailingBlank);
        return new Read(lines, null);
    }

    private static async Task<Read> ReadArrayAsync(Stream body, int maxLines, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 256 }, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return new Read(null, Problems.BadRequest($"The body is not valid JSON: {e.Message}", "body"));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new Read(null, Problems.BadRequest(
                    $"An application/json body must be an array of request objects, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.", "body"));
            }

            int count = document.RootElement.GetArrayLength();
            if (count > maxLines)
            {
                return new Read(null, Problems.TooLarge($"A run holds at most {maxLines} jobs (--max-jobs); the array has {count}.", maxLines));
            }

            var lines = new List<string>(count);
            foreach (JsonElement element in document.RootElement.EnumerateArray())
            {
                lines.Add(element.GetRawText());
            }

            return new Read(lines, null);
        }
    }
}
