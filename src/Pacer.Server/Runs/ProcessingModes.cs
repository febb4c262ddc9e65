namespace Pacer.Server.Runs;

/// <summary>
/// Plan 003's processing modes, as <c>POST /api/runs?mode=</c> takes them: <c>sequential</c> (one
/// job at a time, in input order), <c>parallel</c> (as many at once as the lanes and the run's cap
/// allow), <c>combined</c> (items combined into one request) and <c>auto</c> (the best the run's
/// lanes offer). No lane of a pacer.yaml says how items combine yet, so <c>combined</c> is refused
/// with the reason, and <c>auto</c> falls back to <c>parallel</c>, saying why.
/// </summary>
internal static class ProcessingModes
{
    public const string Sequential = "sequential";
    public const string Parallel = "parallel";
    public const string Combined = "combined";
    public const string Auto = "auto";

    public static readonly string[] Names = [Sequential, Parallel, Combined, Auto];

    /// <summary>Why <c>combined</c> cannot run on these lanes.</summary>
    public static string CombinedRefusal(IEnumerable<ServedLane> lanes) =>
        $"Query parameter 'mode' is 'combined', but no lane says how items combine into one request and how its answer splits back (lanes: {string.Join(", ", lanes.Select(l => $"'{l.Name}'"))}): use 'parallel', 'sequential' or 'auto'.";

    /// <summary>The mode a run asked for resolved to the one it runs in, with the fallbacks taken on the way.</summary>
    public static (string Used, IReadOnlyList<ModeFallbackView> Fallbacks) Resolve(string asked) =>
        asked == Auto
            ? (Parallel, [new ModeFallbackView(Combined, Parallel, "no lane says how items combine into one request")])
            : (asked, []);
}

/// <summary>One fallback a run's mode took: from what, to what, and why.</summary>
internal sealed record ModeFallbackView(string From, string To, string Reason);
