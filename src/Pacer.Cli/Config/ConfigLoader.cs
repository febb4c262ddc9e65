using Pacer.Cli.Config.Yaml;

namespace Pacer.Cli.Config;

/// <summary>Reads <c>pacer.yaml</c> into lanes, naming every problem it finds by line and column.</summary>
internal static class ConfigLoader
{
    /// <summary>The lanes of the file at <paramref name="path"/> as <c>pacer run</c> uses them, or null and the errors.</summary>
    public static IReadOnlyList<LaneConfig>? Load(string path, Func<string, string?> environment, List<string> errors) =>
        Read(path, environment, errors)?.Select(l => l.Config).ToList();

    /// <summary>
    /// The lanes of the file at <paramref name="path"/>, each parent before its children and
    /// otherwise in the file's order, with where each value came from; or null, and every problem
    /// (<c>pacer.yaml: line 4, column 10: lane 'api': rps must be …</c>) in the file's order.
    /// </summary>
    public static IReadOnlyList<ConfiguredLane>? Read(string path, Func<string, string?> environment, List<string> errors) =>
        Read(path, environment, errors, out _);

    /// <inheritdoc cref="Read(string, Func{string, string?}, List{string})"/>
    /// <param name="server">The file's <c>server:</c> section, when it has one (only <c>pacer serve</c> reads it).</param>
    public static IReadOnlyList<ConfiguredLane>? Read(string path, Func<string, string?> environment, List<string> errors, out ServerSection? server)
    {
        server = null;
        if (!File.Exists(path))
        {
            errors.Add($"Config file '{path}' does not exist.");
            return null;
        }

        var problems = new ConfigErrors(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read: {e.Message}");
            return null;
        }

        YamlNode? root = YamlTreeReader.Read(text, problems, out bool failed);

        // A file that is not YAML has no lanes to read past its first mistake.
        List<ConfiguredLane> lanes = failed ? [] : LaneResolver.Resolve(ConfigFileReader.Read(root, environment, problems, out server), problems);
        errors.AddRange(problems.Messages());
        return problems.Count == 0 ? lanes : null;
    }

    /// <summary>An engine with every lane, parents before their children; or null and the engine's messages.</summary>
    /// <summary>
    /// The engine the lanes describe; <see langword="null"/> with the reasons in <paramref name="errors"/>.
    /// Lanes with a <c>state:</c> share their limits through <paramref name="states"/>, connected here;
    /// without it (<c>pacer validate</c>) they are checked but not connected.
    /// </summary>
    public static async Task<PacerEngine?> TryBuildEngineAsync(IReadOnlyList<LaneConfig> lanes, TimeProvider time, List<string> errors, LaneStates? states = null)
    {
        if (states is not null)
        {
            foreach (LaneConfig lane in lanes.Where(l => l.State is not null))
            {
                try
                {
                    lane.Limits.SharedState = await states.GetAsync(lane.State!).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    errors.Add($"lane {Run.MessageText.Quote(lane.Name)}: {e.Message}");
                }
            }

            if (errors.Count > 0)
            {
                return null;
            }
        }

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
