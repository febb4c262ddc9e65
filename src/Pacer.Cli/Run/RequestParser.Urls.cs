using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Pacer.Cli.Config;

namespace Pacer.Cli.Run;

/// <summary>Where a line's request goes: its URL, absolute or under its lane's base URL, and the lane that covers it.</summary>
internal sealed partial class RequestParser
{
    private (Uri Url, LaneConfig? Lane, HttpMethod? Method) BodyTarget(Uri url) =>
        (url, LaneFor(url), IsMethod(settings.Method) ? HttpMethod.Parse(settings.Method.ToUpperInvariant()) : null);

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

    /// <summary>The line's <c>url</c>: absolute, or relative to its named lane's base URL.</summary>
    private Uri? ReadUrl(JsonElement root, LaneConfig? named, List<string> problems)
    {
        string? urlText = root.TryGetProperty("url", out JsonElement urlElement) && urlElement.ValueKind == JsonValueKind.String ? urlElement.GetString() : null;
        if (urlText is null)
        {
            problems.Add("\"url\" is missing or not a string");
            return null;
        }

        // A URL is quoted with its query values and user information masked: they may be keys.
        string shown = MessageText.Quote(SecretMask.Url(urlText));
        if (TryLineUrl(urlText, out Uri? absolute))
        {
            // A lane's headers (its keys) go only to its own origin, whichever lane a line names.
            if (named?.BaseUrl is { } baseUrl && Uri.Compare(absolute, baseUrl, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                problems.Add($"\"url\" {shown} is not on the scheme, host and port of lane '{named.Name}''s baseUrl, and the lane's headers go only there");
                return null;
            }

            return absolute;
        }

        if (named?.BaseUrl is not null && Uri.TryCreate(urlText, UriKind.Relative, out Uri? relative))
        {
            if (named.TryResolve(relative, out Uri? resolved))
            {
                return resolved;
            }

            problems.Add($"\"url\" {shown} leaves the scheme, host and port of lane '{named.Name}''s baseUrl; a relative url stays on them");
            return null;
        }

        problems.Add($"\"url\" must be an absolute http or https URL{(named?.BaseUrl is null ? "" : " or a path under the lane's baseUrl")}, got {shown}");
        return null;
    }
}
