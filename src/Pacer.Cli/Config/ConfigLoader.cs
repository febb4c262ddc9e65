using Pacer.Cli.Run;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Pacer.Cli.Config;

/// <summary>Reads <c>pacer.yaml</c> into lanes, naming every problem it finds.</summary>
internal static class ConfigLoader
{
    public const int DefaultRetries = 2;

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
            errors.Add($"{path}: {e.Start}: {(e.InnerException ?? e).Message}");
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
            LaneDocument l = lane ?? new LaneDocument();
            Uri? baseUrl = null;
            if (l.BaseUrl is { } text)
            {
                string expanded = EnvironmentExpander.Expand(text, environment, where + " baseUrl", errors);
                if (!RequestParser.IsHttpUrl(expanded))
                {
                    errors.Add($"{where}: baseUrl must be an absolute http or https URL, got '{expanded}'.");
                }
                else
                {
                    baseUrl = new Uri(expanded.EndsWith('/') ? expanded : expanded + "/");
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

            if (l.Retries is < 0 or >= RetryPolicy.MaxAttemptsLimit)
            {
                errors.Add($"{where}: retries must be between 0 and {RetryPolicy.MaxAttemptsLimit - 1}, got {l.Retries}.");
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
            foreach ((string header, string? value) in l.Headers ?? [])
            {
                headers.Add(new(header, EnvironmentExpander.Expand(value ?? string.Empty, environment, $"{where} header '{header}'", errors)));
            }

            LaneOptions limits = LaneLimits.Build(l.Concurrency, l.Rps, l.Rpm, l.Burst ?? 1, l.Tpm, l.Adaptive ?? false, margin);
            result.Add(new LaneConfig(name, baseUrl, limits, headers, l.Retries ?? DefaultRetries, timeout));
        }

        return errors.Count == 0 ? result : null;
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
