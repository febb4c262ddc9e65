using System.Globalization;
using System.Net.Http.Headers;
using Pacer.Http;
using Pacer.Shared;

namespace Pacer.Cli.Run;

/// <summary>The result of an answered request, and the words for one that timed out.</summary>
internal static class AnswerResults
{
    /// <summary>The response headers kept with a body that was not: what it was, how long, and which request it answered.</summary>
    private static readonly string[] RequestIdHeaders = ["x-request-id", "request-id"];

    /// <summary>The most of a refused answer's body the HTTP handler keeps (see <see cref="PacerHttpResponseMessageExtensions.IsBodyTruncated"/>).</summary>
    private const long RefusedBodyLimit = 64 * 1024;

    /// <summary>The result of <paramref name="response"/>, whose body (as far as it was read) is <paramref name="body"/>.</summary>
    public static RunResult Of(InputLine line, HttpResponseMessage response, byte[] body, RequestTrace trace, long milliseconds)
    {
        int status = (int)response.StatusCode;
        string lane = line.Request!.Lane;
        if (trace.Body is { Exceeded: true } bounded)
        {
            string declared = bounded.DeclaredLength is { } length ? Invariant($" (it declared {length} bytes)") : "";
            string error = Invariant($"line {line.LineNumber}: the body of the HTTP {status} answer is larger than --max-body {SizeParser.Format(bounded.Cap)}{declared}; it was not kept");
            return new RunResult(line.Index, line.IdJson, false, status, trace.Attempts, lane, milliseconds, null, error, line.MetadataJson)
            {
                RequestJson = line.RequestJson,
                Headers = HeadersOf(response, bounded),
            };
        }

        string? failed = response.IsSuccessStatusCode ? null : $"line {line.LineNumber}: HTTP {status} {response.ReasonPhrase}".TrimEnd();
        if (failed is not null && response.IsBodyTruncated())
        {
            failed += Invariant($"; the body was longer than {SizeParser.Format(RefusedBodyLimit)}, the most kept of a refused answer, and only its start is kept");
        }

        return new RunResult(line.Index, line.IdJson, response.IsSuccessStatusCode, status, trace.Attempts, lane, milliseconds, body, failed, line.MetadataJson) { RequestJson = line.RequestJson };
    }

    /// <summary>The <see cref="TimeoutException"/> that ended a request, however wrapped; null if it did not time out.</summary>
    public static TimeoutException? TimeoutIn(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException timeout)
            {
                return timeout;
            }
        }

        return null;
    }

    /// <summary>Why a request that timed out failed, naming its timeout.</summary>
    /// <param name="status">The status of the last answer, if it had begun: then its body was late.</param>
    public static string TimedOut(TimeSpan timeout, RequestTrace trace, int? status)
    {
        string limit = DurationSyntax.Format(timeout);
        string attempts = trace.Attempts == 1 ? "1 attempt" : Invariant($"{trace.Attempts} attempts");
        return status is { } answered
            ? Invariant($"timed out: the body of the HTTP {answered} answer was still arriving when the {limit} timeout of the whole answer ran out ({attempts})")
            : Invariant($"timed out: no complete answer within the {limit} timeout ({attempts})");
    }

    private static List<KeyValuePair<string, string>> HeadersOf(HttpResponseMessage response, BoundedContent body)
    {
        var kept = new List<KeyValuePair<string, string>>();
        HttpContentHeaders content = body.Headers;
        if (content.ContentType is { } type)
        {
            kept.Add(new("content-type", type.ToString()));
        }

        if (body.DeclaredLength is { } length)
        {
            kept.Add(new("content-length", length.ToString(CultureInfo.InvariantCulture)));
        }

        if (content.ContentEncoding.Count > 0)
        {
            kept.Add(new("content-encoding", string.Join(", ", content.ContentEncoding)));
        }

        if (response.Headers.TransferEncoding.Count > 0)
        {
            kept.Add(new("transfer-encoding", response.Headers.TransferEncoding.ToString()));
        }

        foreach (string name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out IEnumerable<string>? values))
            {
                kept.Add(new(name, string.Join(", ", values)));
            }
        }

        return kept;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
