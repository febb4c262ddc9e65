using System.Text.RegularExpressions;
using Pacer.Cli.Run;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Pacer.Cli.Config;

/// <summary>Reads <c>pacer.yaml</c> into lanes, naming every problem it finds.</summary>
internal static partial class ConfigLoader
{
    /// <summary>The lanes of the file at <paramref name="path"/>, or null and the errors.</summary>
    public static IReadOnlyList<LaneConfig>? Load(string path, Func<string, string?> environment, List<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"Config file '{path}' does not exist.");
            return null;
        }

        ConfigDocument? document;
        try
        {
            IDeserializer deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            using var reader = new StreamReader(path);
            document = deserializer.Deserialize<ConfigDocument?>(reader);
        }
        catch (YamlException e)
        {
            errors.Add($"{path}: line {e.Start.Line}, column {e.Start.Column}: {Describe(e)}");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read: {e.Message}");
            return null;
        }

        if (document?.Lanes is not { Count: > 0 } lanes)
        {
            errors.Add($"{path}: no lanes; add a 'lanes:' map with at least one lane.");
            return null;
        }

        var result = new List<LaneConfig>();
        foreach ((string name, LaneDocument? lane) in lanes)
        {
            string where = $"{path}: lane '{name}'";
            if (name.Length == 0)
            {
                errors.Add($"{path}: a lane has an empty name; give it one such as openai.");
                continue;
            }

            LaneDocument l = lane ?? new LaneDocument();
            Uri? baseUrl = null;
            if (l.BaseUrl is { } text)
            {
                string expanded = EnvironmentExpander.Expand(text, environment, where + " baseUrl", errors);
                if (!RequestParser.IsHttpUrl(expanded))
                {
                    // Quoted as written, not expanded: a variable in it may hold a key.
                    errors.Add($"{where}: baseUrl must be an absolute http or https URL, got {MessageText.Quote(SecretMask.Url(text))}.");
                }
                else
                {
                    baseUrl = WithPathSlash(new Uri(expanded));
                }
            }

            if (l.Rps is not null && l.Rpm is not null)
            {
                errors.Add($"{where}: give rps or rpm, not both.");
            }

            if (l.Adaptive == true && l.Rps is null && l.Rpm is null)
            {
                errors.Add($"{where}: adaptive needs rps or rpm: the rate it adapts.");
            }

            TimeSpan? timeout = null;
            if (l.Timeout is { } t)
            {
                if (DurationParser.TryParse(t, out TimeSpan parsed))
                {
                    timeout = parsed;
                }
                else
                {
                    errors.Add($"{where}: timeout must be a positive duration such as 30s, 500ms or 2m, got '{t}'.");
                }
            }

            TimeSpan margin = LaneLimits.DefaultMargin;
            if (l.Margin is { } m && !DurationParser.TryParse(m, out margin, allowZero: true))
            {
                errors.Add($"{where}: margin must be a duration such as 20ms, or 0, got '{m}'.");
            }

            var headers = new List<KeyValuePair<string, string>>();
            var shownHeaders = new List<KeyValuePair<string, string>>();
            foreach ((string header, string? value) in l.Headers ?? [])
            {
                if (!HttpSyntax.IsToken(header))
                {
                    errors.Add($"{where}: header name {MessageText.Quote(header)} is not a token (letters, digits and !#$%&'*+-.^_`|~ only).");
                    continue;
                }

                string template = value ?? string.Empty;
                headers.Add(new(header, EnvironmentExpander.Expand(template, environment, $"{where} header '{header}'", errors, HeaderValueProblem)));
                shownHeaders.Add(new(header, SecretMask.HeaderValue(header, template)));
            }

            LaneOptions limits = LaneLimits.Build(l.Concurrency, l.Rps, l.Rpm, l.Burst ?? 1, l.Tpm, l.Adaptive ?? false, margin);
            result.Add(new LaneConfig(name, baseUrl, limits, headers, ReadRetry(l, where, errors), timeout)
            {
                ShownBaseUrl = l.BaseUrl is null ? null : SecretMask.Url(l.BaseUrl),
                ShownHeaders = shownHeaders,
            });
        }

        return errors.Count == 0 ? result : null;
    }

    /// <summary>Why a header value (as written, or a variable's value) cannot be sent, or null.</summary>
    private static string? HeaderValueProblem(string value) =>
        HttpSyntax.ValueProblem(value) is { } problem ? $"{problem}; {HttpSyntax.ValueRule}" : null;

    /// <summary>
    /// <paramref name="url"/> with a <c>/</c> at the end of its path, so that a relative URL
    /// resolves under its last segment; the query stays after the path, as it was.
    /// </summary>
    private static Uri WithPathSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new Uri(url.GetLeftPart(UriPartial.Path) + "/" + url.Query + url.Fragment);

    /// <summary>YamlDotNet's message, with an unknown key said in the file's own words and the keys its place takes.</summary>
    private static string Describe(YamlException e)
    {
        string message = (e.InnerException ?? e).Message;
        Match unknown = UnknownKey().Match(message);
        (string Place, Type Shape)[] shapes = [("the file", typeof(ConfigDocument)), ("a lane", typeof(LaneDocument)), ("retry", typeof(RetryDocument))];
        if (!unknown.Success || shapes.FirstOrDefault(s => s.Shape.FullName == unknown.Groups["type"].Value) is not ({ } place, { } shape))
        {
            return message;
        }

        IEnumerable<string> keys = shape.GetProperties().Select(p => CamelCaseNamingConvention.Instance.Apply(p.Name));
        return $"unknown key '{unknown.Groups["key"].Value}' in {place}; it takes {string.Join(", ", keys)}.";
    }

    [GeneratedRegex("^Property '(?<key>.*)' not found on type '(?<type>[^']+)'")]
    private static partial Regex UnknownKey();

    /// <summary>The lane's retry policy: <c>retries</c> (or <c>retry.retries</c>), <c>retry.statuses</c>, <c>retry.baseDelay</c>, <c>retry.maxDelay</c>.</summary>
    private static LaneRetry ReadRetry(LaneDocument lane, string where, List<string> errors)
    {
        RetryDocument r = lane.Retry ?? new RetryDocument();
        if (lane.Retries is not null && r.Retries is not null)
        {
            errors.Add($"{where}: give retries or retry.retries, not both.");
        }

        TimeSpan? baseDelay = null;
        if (r.BaseDelay is { } b)
        {
            if (DurationParser.TryParse(b, out TimeSpan parsed, allowZero: true))
            {
                baseDelay = parsed;
            }
            else
            {
                errors.Add($"{where}: retry.baseDelay must be a duration such as 500ms or 1s, or 0, got '{b}'.");
            }
        }

        TimeSpan? maxDelay = null;
        if (r.MaxDelay is { } m)
        {
            if (DurationParser.TryParse(m, out TimeSpan parsed, allowZero: true))
            {
                maxDelay = parsed;
            }
            else
            {
                errors.Add($"{where}: retry.maxDelay must be a duration such as 30s or 2m, or 0, got '{m}'.");
            }
        }

        LaneRetry retry = LaneRetry.Create(lane.Retries ?? r.Retries, baseDelay, maxDelay, r.Statuses);
        retry.Validate($"{where}: ", key => key == "retries" && lane.Retries is not null ? key : "retry." + key, errors);
        return retry;
    }

    /// <summary>An engine with every lane, parents before their children; or null and the engine's messages.</summary>
    public static async Task<PacerEngine?> TryBuildEngineAsync(IReadOnlyList<LaneConfig> lanes, TimeProvider time, List<string> errors)
    {
        LaneConfig? defaultLane = lanes.FirstOrDefault(l => l.Name == PacerEngine.DefaultLaneName);
        PacerEngine engine;
        try
        {
            engine = new PacerEngine(new PacerOptions { TimeProvider = time, DefaultLane = defaultLane?.Limits ?? new LaneOptions() });
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message.Replace("DefaultLane.", "Lane 'default': ", StringComparison.Ordinal));
            return null;
        }

        foreach (LaneConfig lane in lanes.Where(l => l != defaultLane).OrderBy(l => l.Name.Count(c => c == '/')))
        {
            try
            {
                engine.AddLane(lane.Name, lane.Limits);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
            catch (InvalidOperationException e)
            {
                errors.Add(e.Message);
            }
        }

        if (errors.Count > 0)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        return engine;
    }
}
