using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Pacer.Cli.Config;

namespace Pacer.Cli.Run;

/// <summary>Turns input lines into requests; a bad line becomes an error that names the line.</summary>
internal sealed class RequestParser(RunSettings settings, IReadOnlyList<LaneConfig> lanes)
{
    /// <summary>Lanes with a base URL, longest first, so that the first that covers a URL is the closest.</summary>
    private readonly LaneConfig[] _byBaseUrl = [.. lanes.Where(l => l.BaseUrl is not null).OrderByDescending(l => l.BaseUrl!.AbsoluteUri.Length)];

    /// <summary>Each lane's headers with the command line's on top: what a line without headers of its own sends.</summary>
    private readonly Dictionary<string, List<KeyValuePair<string, string>>> _laneHeaders =
        lanes.ToDictionary(l => l.Name, l => Merge(l.Headers, settings.Headers));

    private readonly List<KeyValuePair<string, string>> _flagHeaders = Merge(settings.Headers);

    private Uri? _lastUrl;

    /// <summary>With <c>--url</c>, where every line goes: the same for all of them.</summary>
    private (Uri Url, LaneConfig? Lane, HttpMethod Method)? _bodyTarget;

    public static bool IsHttpUrl(string text) => TryHttpUrl(text, out _);

    private static bool TryHttpUrl(string text, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public InputLine Parse(long index, string text)
    {
        long line = index + 1;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return Error(index, null, null, $"line {line}: not valid JSON: {e.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            return settings.Url is { } url ? ParseBody(index, root, url) : ParseRequest(index, root);
        }
    }

    private InputLine ParseBody(long index, JsonElement root, string url)
    {
        string? metadata = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metadata", out JsonElement m) ? m.GetRawText() : null;
        _bodyTarget ??= BodyTarget(new Uri(url));
        (Uri uri, LaneConfig? lane, HttpMethod method) = _bodyTarget.Value;
        if (lane is null)
        {
            return Error(index, null, metadata, $"line {index + 1}: no lane's baseUrl is a prefix of '{uri}'.");
        }

        bool estimated = lane.Limits.CostRates.Count > 0;
        long cost = estimated ? TokenEstimator.Estimate(root) : 1;
        var request = new RequestSpec(uri, method, _laneHeaders[lane.Name], root.GetRawText(), true, lane.Name, 0, cost, estimated);
        return new InputLine(index, null, metadata, request, null);
    }

    private (Uri Url, LaneConfig? Lane, HttpMethod Method) BodyTarget(Uri url) =>
        (url, LaneFor(url), HttpMethod.Parse(settings.Method.ToUpperInvariant()));

    /// <summary>The lane whose base URL is the longest prefix of <paramref name="url"/>, else the only lane when it has no base URL.</summary>
    private LaneConfig? LaneFor(Uri url)
    {
        foreach (LaneConfig lane in _byBaseUrl)
        {
            if (lane.Covers(url))
            {
                return lane;
            }
        }

        return lanes.Count == 1 && lanes[0].BaseUrl is null ? lanes[0] : null;
    }

    /// <summary>The URL of a line; consecutive lines with the same text share one <see cref="Uri"/>, which is immutable.</summary>
    private bool TryLineUrl(string text, [NotNullWhen(true)] out Uri? uri)
    {
        if (_lastUrl is { } last && last.OriginalString == text)
        {
            uri = last;
            return true;
        }

        if (!TryHttpUrl(text, out uri))
        {
            return false;
        }

        _lastUrl = uri;
        return true;
    }

    private static List<KeyValuePair<string, string>> Merge(params IEnumerable<KeyValuePair<string, string>>[] layers)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (IEnumerable<KeyValuePair<string, string>> layer in layers)
        {
            foreach (KeyValuePair<string, string> header in layer)
            {
                headers.RemoveAll(h => string.Equals(h.Key, header.Key, StringComparison.OrdinalIgnoreCase));
                headers.Add(header);
            }
        }

        return headers;
    }

    private InputLine ParseRequest(long index, JsonElement root)
    {
        long line = index + 1;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Error(index, null, null, $"line {line}: expected a JSON object, got {root.ValueKind}.");
        }

        string? id = root.TryGetProperty("id", out JsonElement idElement) ? idElement.GetRawText() : null;
        string? metadata = root.TryGetProperty("metadata", out JsonElement m) ? m.GetRawText() : null;
        var problems = new List<string>();

        LaneConfig? named = null;
        if (root.TryGetProperty("lane", out JsonElement laneElement))
        {
            named = laneElement.ValueKind == JsonValueKind.String ? lanes.FirstOrDefault(l => l.Name == laneElement.GetString()) : null;
            if (named is null)
            {
                problems.Add($"unknown lane {laneElement.GetRawText()} (lanes: {string.Join(", ", lanes.Select(l => l.Name))})");
            }
        }

        Uri? uri = null;
        string? urlText = root.TryGetProperty("url", out JsonElement urlElement) && urlElement.ValueKind == JsonValueKind.String ? urlElement.GetString() : null;
        if (urlText is null)
        {
            problems.Add("\"url\" is missing or not a string");
        }
        else if (TryLineUrl(urlText, out Uri? absolute))
        {
            uri = absolute;
        }
        else if (named?.BaseUrl is { } baseUrl && Uri.TryCreate(urlText, UriKind.Relative, out Uri? relative))
        {
            uri = new Uri(baseUrl, relative);
        }
        else
        {
            problems.Add($"\"url\" must be an absolute http or https URL{(named?.BaseUrl is null ? "" : " or a path under the lane's baseUrl")}, got '{urlText}'");
        }

        LaneConfig? lane = named;
        if (lane is null && uri is not null && !root.TryGetProperty("lane", out _))
        {
            lane = LaneFor(uri);
            if (lane is null)
            {
                problems.Add($"no lane's baseUrl is a prefix of '{uri}'; give a \"lane\" field");
            }
        }

        HttpMethod method = HttpMethod.Get;
        if (root.TryGetProperty("method", out JsonElement methodElement))
        {
            string? text = methodElement.ValueKind == JsonValueKind.String ? methodElement.GetString() : null;
            if (string.IsNullOrWhiteSpace(text) || !text.All(char.IsAsciiLetter))
            {
                problems.Add($"\"method\" must be an HTTP method such as GET or POST, got {methodElement.GetRawText()}");
            }
            else
            {
                method = HttpMethod.Parse(text.ToUpperInvariant());
            }
        }

        List<KeyValuePair<string, string>> headers = lane is null ? _flagHeaders : _laneHeaders[lane.Name];
        if (root.TryGetProperty("headers", out JsonElement headersElement))
        {
            headers = [.. headers];
            if (headersElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("\"headers\" must be an object of strings");
            }
            else
            {
                foreach (JsonProperty header in headersElement.EnumerateObject())
                {
                    if (header.Value.ValueKind != JsonValueKind.String)
                    {
                        problems.Add($"header '{header.Name}' must be a string");
                        continue;
                    }

                    headers.RemoveAll(h => string.Equals(h.Key, header.Name, StringComparison.OrdinalIgnoreCase));
                    headers.Add(new(header.Name, header.Value.GetString()!));
                }
            }
        }

        string? body = null;
        bool bodyIsJson = false;
        long? estimate = null;
        if (root.TryGetProperty("body", out JsonElement bodyElement) && bodyElement.ValueKind != JsonValueKind.Null)
        {
            if (bodyElement.ValueKind == JsonValueKind.String)
            {
                body = bodyElement.GetString();
            }
            else
            {
                body = bodyElement.GetRawText();
                bodyIsJson = true;
                estimate = TokenEstimator.Estimate(bodyElement);
            }
        }

        int priority = 0;
        if (root.TryGetProperty("priority", out JsonElement priorityElement) && !priorityElement.TryGetInt32(out priority))
        {
            problems.Add($"\"priority\" must be an integer, got {priorityElement.GetRawText()}");
        }

        bool estimated = lane is not null && lane.Limits.CostRates.Count > 0;
        long cost = estimated ? estimate ?? 1 : 1;
        if (root.TryGetProperty("cost", out JsonElement costElement))
        {
            estimated = false;
            if (!costElement.TryGetInt64(out long given) || given < 0)
            {
                problems.Add($"\"cost\" must be a whole number at least 0, got {costElement.GetRawText()}");
            }
            else
            {
                cost = given;
            }
        }

        if (problems.Count > 0)
        {
            return Error(index, id, metadata, $"line {line}: {string.Join("; ", problems)}.");
        }

        return new InputLine(index, id, metadata, new RequestSpec(uri!, method, headers, body, bodyIsJson, lane!.Name, priority, cost, estimated), null);
    }

    private static InputLine Error(long index, string? id, string? metadata, string error) =>
        new(index, id, metadata, null, error);
}
