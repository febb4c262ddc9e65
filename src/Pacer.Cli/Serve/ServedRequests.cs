using System.Text.Json;
using Pacer.Cli.Config;
using Pacer.Cli.Run;
using Pacer.Server;

namespace Pacer.Cli.Serve;

/// <summary>
/// The request lines of <c>pacer run</c>, as <c>pacer serve</c> takes them: the same parser, sender
/// and result writer. The server sends only under a lane's base URL: a line whose URL is under
/// none is refused, not sent, so that the server is no open proxy.
/// </summary>
internal sealed class ServedRequests(IReadOnlyList<LaneConfig> lanes, RequestSender sender, IReadOnlyDictionary<string, LaneTally> tallies) : IRequestFormat, IDisposable
{
    /// <summary>A parser per thread: a parser keeps the last URL it read, and submissions check their lines in parallel.</summary>
    private readonly ThreadLocal<RequestParser> _parser = new(() => new RequestParser(new RunSettings { Input = "-" }, lanes));
    private readonly Dictionary<string, LaneConfig> _byName = lanes.ToDictionary(l => l.Name, StringComparer.Ordinal);

    public IReadOnlyList<ServedLane> Lanes { get; } = [.. lanes.Select(l => new ServedLane(l.Name, l.ShowBaseUrl(), l.Limits))];

    public void Dispose() => _parser.Dispose();

    public CheckedLine Check(long index, string text, int priorityOffset)
    {
        InputLine line = Parse(index, text, priorityOffset);
        if (line.Request is { } request)
        {
            return Sendable(request)
                ? new CheckedLine(request.Lane, request.Priority, request.Cost, null, null)
                : new CheckedLine(null, 0, 1, null, Refusal(index, request.Url));
        }

        return OffLaneUrl(text) is { } url
            ? new CheckedLine(null, 0, 1, null, Refusal(index, url))
            : new CheckedLine(null, 0, 1, RunResult.ForBadLine(line).ToJsonLine(), null);
    }

    public async Task<SentLine> SendAsync(long index, string text, int priorityOffset, Action<bool> attempting, CancellationToken cancellationToken)
    {
        InputLine line = Parse(index, text, priorityOffset);
        if (line.Request is null || !Sendable(line.Request))
        {
            // A bad line, or one the lanes no longer cover (the config changed since it was stored).
            RunResult bad = line.Request is null
                ? RunResult.ForBadLine(line)
                : RunResult.ForBadLine(line with { Error = Refusal(index, line.Request.Url) });
            return new SentLine(StoredJobState.Failed, 0, bad.ToJsonLine(), bad.Error, null, line.IdJson, 0);
        }

        RunResult result = await sender.SendAsync(line, cancellationToken, cancellationToken, attempting: attempting).ConfigureAwait(false);
        StoredJobState state = result.Ok ? StoredJobState.Succeeded : result.Cancelled ? StoredJobState.Cancelled : StoredJobState.Failed;
        return new SentLine(state, result.Attempts, result.ToJsonLine(), result.Error, result.Status, line.IdJson, result.Milliseconds, ModelOf(line.Request));
    }

    public string CancelledResult(long index, string text, string? lane) =>
        RunResult.ForCancelled(Parse(index, text, 0), lane).ToJsonLine();

    public long TooManyRequests(string lane) => tallies.TryGetValue(lane, out LaneTally? tally) ? tally.TooManyRequests : 0;

    /// <summary>The top-level <c>model</c> string of a JSON body, when there is one; looked for only in a body that holds the word.</summary>
    internal static string? ModelOf(RequestSpec request)
    {
        if (!request.BodyIsJson || request.Body is not { } body || !body.Contains("\"model\"", StringComparison.Ordinal))
        {
            return null;
        }

        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(body));
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: no model.
        }

        return null;
    }

    private InputLine Parse(long index, string text, int priorityOffset)
    {
        InputLine line = _parser.Value!.Parse(index, text);

        return priorityOffset == 0 || line.Request is not { } request
            ? line
            : line with { Request = request with { Priority = (int)Math.Clamp((long)request.Priority + priorityOffset, -RequestParser.MaxPriority, RequestParser.MaxPriority) } };
    }

    private bool Sendable(RequestSpec request) =>
        _byName.TryGetValue(request.Lane, out LaneConfig? lane) && lane.BaseUrl is not null && lane.Covers(request.Url);

    /// <summary>The absolute URL of a line that could not be read otherwise, when no lane's base URL covers it.</summary>
    private Uri? OffLaneUrl(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("url", out JsonElement url)
                && url.ValueKind == JsonValueKind.String
                && Uri.TryCreate(url.GetString(), UriKind.Absolute, out Uri? absolute)
                && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps)
                && !lanes.Any(l => l.BaseUrl is not null && l.Covers(absolute))
                ? absolute
                : null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private string Refusal(long index, Uri url) =>
        $"line {index + 1}: \"url\" {MessageText.Quote(SecretMask.Url(url.ToString()))} is under no lane's baseUrl; this server sends only to its lanes: "
        + string.Join(", ", lanes.Select(l => $"'{l.Name}' ({l.ShowBaseUrl() ?? "no baseUrl"})")) + ".";
}
