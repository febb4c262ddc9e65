using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Pacer.Cli.Config;

namespace Pacer.Cli.Run;

/// <summary>Turns input lines into requests; a bad line becomes an error that names the line and the field, and never stops the run.</summary>
internal sealed partial class RequestParser(RunSettings settings, IReadOnlyList<LaneConfig> lanes)
{
    /// <summary>The priorities the engine takes (<see cref="JobOptions.Priority"/>): one outside them would fail only once sent.</summary>
    public const int MaxPriority = 1_000_000;

    /// <summary>Says why a field the estimate reads is an error rather than ignored.</summary>
    private const string EstimateNote = "the lane's tokens per minute are estimated from it (give the line a \"cost\" to send it as it is)";

    /// <summary>Lanes with a base URL, longest first, so that the first that covers a URL is the closest.</summary>
    private readonly LaneConfig[] _byBaseUrl = [.. lanes.Where(l => l.BaseUrl is not null).OrderByDescending(l => l.BasePrefix!.Length)];

    /// <summary>Each lane's headers with the command line's on top: what a line without headers of its own sends.</summary>
    private readonly Dictionary<string, List<KeyValuePair<string, string>>> _laneHeaders =
        lanes.ToDictionary(l => l.Name, l => Merge(l.Headers, settings.Headers));

    private readonly List<KeyValuePair<string, string>> _flagHeaders = Merge(settings.Headers);

    /// <summary>Per lane, the cost rate (its own or an ancestor's) that allows the least in one period: no request may cost more.</summary>
    private readonly Dictionary<string, (string Lane, RateLimit Rate)?> _tightestCostRate = lanes.ToDictionary(l => l.Name, l => TightestCostRate(l, lanes));

    private Uri? _lastUrl;

    /// <summary>With <c>--url</c>, where every line goes: the same for all of them.</summary>
    private (Uri Url, LaneConfig? Lane, HttpMethod? Method)? _bodyTarget;

    public static bool IsHttpUrl(string text) => TryHttpUrl(text, out _);

    /// <summary>Whether <paramref name="text"/> can be sent as a request's method: an RFC 9110 token, such as GET or POST.</summary>
    public static bool IsMethod(string? text) => HttpSyntax.IsToken(text);

    private static bool TryHttpUrl(string text, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The request of one input line (made by the input's shape, or as read), or why it cannot be sent.</summary>
    public InputLine Parse(long index, string text)
    {
        if (settings.Shape.MakesLines && text.Length > 0 && text[0] == InputShape.ErrorMark)
        {
            return Error(index, null, null, text[1..]);
        }

        InputLine line = ParseLine(index, text);
        return settings.EchoRequest ? line with { RequestJson = RequestEcho.Of(text) } : line;
    }

    private InputLine ParseLine(long index, string text)
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
        catch (ArgumentException e)
        {
            // Text that is not UTF-16 (a lone surrogate): only lines given in code can hold it, a file's are decoded.
            return Error(index, null, null, $"line {line}: not valid text: {e.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            try
            {
                return settings.Url is { } url ? ParseBody(index, root, url) : ParseRequest(index, root);
            }
            catch (InvalidOperationException e)
            {
                // A string with an escaped lone surrogate ("\ud800") parses, but cannot be read as text,
                // nor can a property be looked up past a name that holds one.
                return Error(index, RawIdOrNull(root), null, $"line {line}: a string in it cannot be read: {e.Message}");
            }
        }
    }

    /// <summary>The line's <c>id</c> as written, or null when it has none or it cannot be looked up.</summary>
    private static string? RawIdOrNull(JsonElement root)
    {
        try
        {
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out JsonElement id) ? id.GetRawText() : null;
        }
        catch (InvalidOperationException)
        {
            // A property name before it holds an escaped lone surrogate: the line's error says so.
            return null;
        }
    }

    private InputLine ParseBody(long index, JsonElement root, string url)
    {
        long line = index + 1;
        string? metadata = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metadata", out JsonElement m) ? m.GetRawText() : null;
        _bodyTarget ??= BodyTarget(new Uri(url));
        (Uri uri, LaneConfig? lane, HttpMethod? method) = _bodyTarget.Value;
        if (method is null)
        {
            return Error(index, null, metadata, $"line {line}: --method must be an HTTP method such as GET or POST, got {MessageText.Quote(settings.Method)}.");
        }

        if (lane is null)
        {
            return Error(index, null, metadata, $"line {line}: no lane's baseUrl is a prefix of {MessageText.Quote(SecretMask.Url(uri.ToString()))}.");
        }

        bool estimated = lane.Limits.CostRates.Count > 0;
        long cost = 1;
        if (estimated)
        {
            if (TokenEstimator.Problem(root) is { } problem)
            {
                return Error(index, null, metadata, $"line {line}: {problem}; {EstimateNote}.");
            }

            cost = TokenEstimator.Estimate(root);
            if (CostProblem(lane, cost, estimated: true) is { } tooMuch)
            {
                return Error(index, null, metadata, $"line {line}: {tooMuch}.");
            }
        }

        var request = new RequestSpec(uri, method, _laneHeaders[lane.Name], root.GetRawText(), true, lane.Name, 0, cost, estimated);
        return new InputLine(index, null, metadata, request, null);
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
            string hint = root.ValueKind == JsonValueKind.Array && settings.Shape.Format != InputFormat.JsonArray ? " (for a JSON array of requests, give --input-format json)" : "";
            return Error(index, null, null, $"line {line}: expected a JSON object, got {root.ValueKind}{hint}.");
        }

        string? id = root.TryGetProperty("id", out JsonElement idElement) ? idElement.GetRawText() : null;
        string? metadata = root.TryGetProperty("metadata", out JsonElement m) ? m.GetRawText() : null;
        var problems = new List<string>();

        LaneConfig? named = null;
        bool hasLane = root.TryGetProperty("lane", out JsonElement laneElement);
        if (hasLane)
        {
            named = laneElement.ValueKind == JsonValueKind.String ? lanes.FirstOrDefault(l => laneElement.ValueEquals(l.Name)) : null;
            if (named is null)
            {
                problems.Add($"unknown lane {MessageText.Json(laneElement)} (lanes: {string.Join(", ", lanes.Select(l => l.Name))})");
            }
        }

        Uri? uri = ReadUrl(root, named, problems);
        LaneConfig? lane = named;
        if (lane is null && uri is not null && !hasLane)
        {
            lane = LaneFor(uri);
            if (lane is null)
            {
                problems.Add($"no lane's baseUrl is a prefix of {MessageText.Quote(SecretMask.Url(uri.ToString()))}; give a \"lane\" field");
            }
        }

        HttpMethod method = HttpMethod.Get;
        if (root.TryGetProperty("method", out JsonElement methodElement))
        {
            string? text = methodElement.ValueKind == JsonValueKind.String ? methodElement.GetString() : null;
            if (!IsMethod(text))
            {
                problems.Add($"\"method\" must be an HTTP method such as GET or POST, got {MessageText.Json(methodElement)}");
            }
            else
            {
                method = HttpMethod.Parse(text!.ToUpperInvariant());
            }
        }

        List<KeyValuePair<string, string>> headers = lane is null ? _flagHeaders : _laneHeaders[lane.Name];
        if (root.TryGetProperty("headers", out JsonElement headersElement))
        {
            headers = ReadHeaders(headersElement, headers, problems);
        }

        string? body = null;
        bool bodyIsJson = false;
        bool hasJsonBody = root.TryGetProperty("body", out JsonElement bodyElement) && bodyElement.ValueKind is not (JsonValueKind.Null or JsonValueKind.String);
        if (hasJsonBody)
        {
            body = bodyElement.GetRawText();
            bodyIsJson = true;
        }
        else if (bodyElement.ValueKind == JsonValueKind.String)
        {
            body = bodyElement.GetString();
        }

        int priority = 0;
        if (root.TryGetProperty("priority", out JsonElement priorityElement)
            && !(priorityElement.ValueKind == JsonValueKind.Number && priorityElement.TryGetInt32(out priority) && Math.Abs(priority) <= MaxPriority))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"\"priority\" must be a whole number from -{MaxPriority} to {MaxPriority}, got {MessageText.Json(priorityElement)}"));
        }

        bool estimated = lane is not null && lane.Limits.CostRates.Count > 0;
        long cost = 1;
        if (root.TryGetProperty("cost", out JsonElement costElement))
        {
            estimated = false;
            if (costElement.ValueKind == JsonValueKind.Number && costElement.TryGetInt64(out long given) && given >= 0)
            {
                cost = given;
                if (lane is not null && CostProblem(lane, cost, estimated: false) is { } tooMuch)
                {
                    problems.Add(tooMuch);
                }
            }
            else
            {
                problems.Add($"\"cost\" must be a whole number from 0, got {MessageText.Json(costElement)}");
            }
        }
        else if (estimated && hasJsonBody)
        {
            if (TokenEstimator.Problem(bodyElement) is { } problem)
            {
                problems.Add($"{problem}; {EstimateNote}");
            }
            else
            {
                cost = TokenEstimator.Estimate(bodyElement);
                if (CostProblem(lane!, cost, estimated: true) is { } tooMuch)
                {
                    problems.Add(tooMuch);
                }
            }
        }

        if (problems.Count > 0)
        {
            return Error(index, id, metadata, $"line {line}: {string.Join("; ", problems)}.");
        }

        return new InputLine(index, id, metadata, new RequestSpec(uri!, method, headers, body, bodyIsJson, lane!.Name, priority, cost, estimated), null);
    }

    /// <summary>The line's own headers over <paramref name="inherited"/>; each name must be a token and each value printable ASCII.</summary>
    private static List<KeyValuePair<string, string>> ReadHeaders(JsonElement element, List<KeyValuePair<string, string>> inherited, List<string> problems)
    {
        List<KeyValuePair<string, string>> headers = [.. inherited];
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add("\"headers\" must be an object of strings");
            return headers;
        }

        foreach (JsonProperty header in element.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"header {MessageText.Quote(header.Name)} must be a string");
                continue;
            }

            string value = header.Value.GetString()!;
            if (HeaderParser.Problem(header.Name, value) is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            headers.RemoveAll(h => string.Equals(h.Key, header.Name, StringComparison.OrdinalIgnoreCase));
            headers.Add(new(header.Name, value));
        }

        return headers;
    }

    /// <summary>
    /// Why a request of <paramref name="cost"/> may not travel in <paramref name="lane"/>: more than
    /// its tightest cost rate allows in a whole period could start only by leaving the lane in debt
    /// for longer, and a cost given in the millions of millions would hold it back for good.
    /// </summary>
    private string? CostProblem(LaneConfig lane, long cost, bool estimated)
    {
        if (_tightestCostRate[lane.Name] is not ({ } limited, { } rate) || cost <= rate.Permits)
        {
            return null;
        }

        string what = estimated ? "the estimated cost" : "\"cost\"";
        return string.Create(CultureInfo.InvariantCulture,
            $"{what} of {cost} tokens is more than lane '{limited}' allows in {rate.Period.TotalSeconds:0.###}s ({rate.Permits}); no such request could start within the limit");
    }

    private static (string Lane, RateLimit Rate)? TightestCostRate(LaneConfig lane, IReadOnlyList<LaneConfig> lanes)
    {
        (string Lane, RateLimit Rate)? tightest = null;
        foreach (LaneConfig onPath in lanes.Where(l => l.Name == lane.Name || lane.Name.StartsWith(l.Name + "/", StringComparison.Ordinal)))
        {
            foreach (RateLimit rate in onPath.Limits.CostRates)
            {
                if (tightest is null || rate.Permits < tightest.Value.Rate.Permits)
                {
                    tightest = (onPath.Name, rate);
                }
            }
        }

        return tightest;
    }

    private static InputLine Error(long index, string? id, string? metadata, string error) =>
        new(index, id, metadata, null, error);
}
