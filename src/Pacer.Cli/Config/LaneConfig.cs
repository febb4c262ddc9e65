namespace Pacer.Cli.Config;

/// <summary>One lane requests can travel in: its limits, and what its requests share (base URL, headers, retry policy, timeout).</summary>
/// <param name="BaseUrl">Where the lane's requests go: its path ends in <c>/</c>; a query it has is added to every relative URL (see <see cref="TryResolve"/>).</param>
internal sealed record LaneConfig(
    string Name,
    Uri? BaseUrl,
    LaneOptions Limits,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    LaneRetry Retry,
    TimeSpan? Timeout)
{
    /// <summary>Whether the lane's concurrency is <see cref="LaneLimits.DefaultConcurrency"/> because it was told none.</summary>
    public bool ConcurrencyIsDefault { get; init; }

    /// <summary>Where the lane's limits are shared with other processes (<c>state:</c>); null: this process's own.</summary>
    public LaneStateAddress? State { get; init; }

    /// <summary>The base URL as written in <c>pacer.yaml</c>, with <c>${NAME}</c> unexpanded and its secrets masked; null: shown from <see cref="BaseUrl"/>.</summary>
    public string? ShownBaseUrl { get; init; }

    /// <summary>The headers as written in <c>pacer.yaml</c>, with <c>${NAME}</c> unexpanded and credentials masked; null: shown from <see cref="Headers"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ShownHeaders { get; init; }

    /// <summary>The base URL without its query: what a URL must start with to be under it.</summary>
    public string? BasePrefix => BaseUrl?.GetLeftPart(UriPartial.Path);

    /// <summary>Whether <paramref name="url"/> lies under this lane's base URL (its scheme, host, port and path; queries aside).</summary>
    public bool Covers(Uri url)
    {
        if (BasePrefix is not { } prefix)
        {
            return false;
        }

        string path = url.GetLeftPart(UriPartial.Path);
        return path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || string.Equals(path + "/", prefix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// <paramref name="relative"/> resolved against the base URL, with the base URL's query
    /// parameters added after its own (a parameter it names itself is not added twice). False when
    /// it would leave the base URL's scheme, host or port (<c>//elsewhere/x</c>): the lane's headers
    /// go with it, and they may be credentials for this service only.
    /// </summary>
    public bool TryResolve(Uri relative, out Uri? url)
    {
        url = null;
        if (BaseUrl is not { } baseUrl || !Uri.TryCreate(baseUrl, relative, out Uri? resolved)
            || Uri.Compare(resolved, baseUrl, UriComponents.SchemeAndServer | UriComponents.UserInfo, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        string baseQuery = baseUrl.Query.TrimStart('?');
        string ownQuery = resolved.Query.TrimStart('?');
        if (baseQuery.Length == 0 || ownQuery == baseQuery)
        {
            url = resolved;
            return true;
        }

        HashSet<string> own = [.. ownQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(ParameterName)];
        IEnumerable<string> added = baseQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !own.Contains(ParameterName(p)));
        string query = string.Join('&', ownQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Concat(added));
        return Uri.TryCreate(resolved.GetLeftPart(UriPartial.Path) + (query.Length == 0 ? "" : "?" + query) + resolved.Fragment, UriKind.Absolute, out url);
    }

    /// <summary>The base URL as <c>pacer validate</c> shows it: never with a secret in it.</summary>
    public string? ShowBaseUrl() => ShownBaseUrl ?? (BaseUrl is null ? null : SecretMask.Url(BaseUrl.ToString()));

    /// <summary>The headers as <c>pacer validate</c> shows them: credentials masked.</summary>
    public IEnumerable<KeyValuePair<string, string>> ShowHeaders() =>
        ShownHeaders ?? Headers.Select(h => new KeyValuePair<string, string>(h.Key, SecretMask.HeaderValue(h.Key, h.Value)));

    private static string ParameterName(string parameter) => parameter.Split('=', 2)[0];
}
