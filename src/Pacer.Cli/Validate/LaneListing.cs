using System.Globalization;
using Pacer.Cli.Config;
using Pacer.Shared;

namespace Pacer.Cli.Validate;

/// <summary>
/// How <c>pacer validate</c> shows a lane: what it ends up with, in the file's units, each value
/// its own or marked with the lane it came from; secrets masked.
/// </summary>
/// <example>
/// <code>
/// openai/gpt-4o  (inside openai)
///   baseUrl      https://api.openai.com/v1/  (from openai)
///   limits       2/s (burst 1); margin 20ms; and openai's limits
///   headers      Authorization: ***  (from openai)
///   retry        4 retries on 429, 500, 503; backoff 500ms to 20s  (from openai)
///   timeout      1m  (from openai)
/// </code>
/// </example>
internal static class LaneListing
{
    private const int LabelWidth = 13;

    public static IEnumerable<string> Lines(ConfiguredLane lane)
    {
        LaneSettings own = lane.Own;
        LaneShared shared = lane.Shared;
        yield return lane.Parent is null ? own.Name : $"{own.Name}  (inside {lane.Parent})";
        yield return Line("baseUrl", shared.BaseUrl is { } url ? url.Value.Shown + From(url, own) : "none");
        yield return Line("limits", Limits(lane));
        if (shared.Headers.Count == 0)
        {
            yield return Line("headers", "none");
        }

        for (int i = 0; i < shared.Headers.Count; i++)
        {
            Setting<LaneHeader> header = shared.Headers[i];
            yield return Line(i == 0 ? "headers" : "", $"{header.Value.Name}: {header.Value.Shown}{From(header, own)}");
        }

        yield return Line("retry", shared.Retry() + RetryFrom(shared, own));
        yield return Line("timeout", shared.Timeout is { } timeout ? DurationSyntax.Format(timeout.Value) + From(timeout, own) : "none");
        if (own.State is { } state)
        {
            string down = own.StateDown is { Value: > 0 } share
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; while it is down, {share.Value:0.###%} of the limits alone")
                : state.Value.Kind == LaneStateKind.Local ? "" : "; while it is down, the lane waits";
            yield return Line("state", state.Value.Shown + (state.Lane.Length == 0 ? "  (the file's)" : "") + (own.LeaseTime is { } lease ? $"; leases of {DurationSyntax.Format(lease.Value)}" : "") + down);
        }
    }

    /// <summary>The last line: <c>pacer.yaml: 3 lanes, valid.</c></summary>
    public static string Summary(string path, int lanes) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}: {lanes:#,0} {(lanes == 1 ? "lane" : "lanes")}, valid.");

    private static string Line(string label, string text) => "  " + label.PadRight(LabelWidth) + text;

    /// <summary>The lane's own limits, and its parent's that it keeps too.</summary>
    private static string Limits(ConfiguredLane lane)
    {
        LaneSettings own = lane.Own;
        var parts = new List<string>();
        if (own.Concurrency is { } concurrency)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{concurrency.Value:#,0} at once"));
        }
        else if (Config.LaneResolver.TakesDefaultConcurrency(own))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Config.LaneLimits.DefaultConcurrency} at once (the default)"));
        }

        foreach (Setting<RateSetting> rate in new[] { own.Rps, own.Rpm }.OfType<Setting<RateSetting>>())
        {
            string adaptive = own.Adaptive?.Value == true ? ", adaptive" : "";
            parts.Add($"{rate.Value} (burst {RateSetting.Format(own.Burst?.Value ?? 1)}){adaptive}");
        }

        if (own.Tpm is { } tokens)
        {
            parts.Add($"{tokens.Value} (burst {RateSetting.Format(LaneLimits.TokenBurst(tokens.Value))})");
        }

        if (own.RequestRate is not null || own.Tpm is not null)
        {
            parts.Add("margin " + DurationSyntax.Format(own.Margin?.Value ?? LaneLimits.DefaultMargin));
        }

        if (own.Quota is { } quota)
        {
            parts.Add(quota.Value.ToString());
        }

        if (own.MaxPause is { } maxPause)
        {
            parts.Add("pauses at most " + DurationSyntax.Format(maxPause.Value));
        }

        if (lane.Parent is { } parent)
        {
            parts.Add(parts.Count == 0 ? $"none of its own; {parent}'s limits" : $"and {parent}'s limits");
        }

        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private static string From<T>(Setting<T> setting, LaneSettings own) =>
        setting.Lane == own.Name ? "" : $"  (from {setting.Lane})";

    /// <summary>"(default)" for a policy no lane sets; else the keys inherited, by the lane they came from.</summary>
    private static string RetryFrom(LaneShared shared, LaneSettings own)
    {
        (string Key, string? Lane)[] keys =
        [
            ("retries", shared.Retries?.Lane),
            ("statuses", shared.Statuses?.Lane),
            ("baseDelay", shared.BaseDelay?.Lane),
            ("maxDelay", shared.MaxDelay?.Lane),
        ];
        if (keys.All(k => k.Lane is null))
        {
            return "  (default)";
        }

        var inherited = keys.Where(k => k.Lane is not null && k.Lane != own.Name).GroupBy(k => k.Lane!).ToList();
        if (inherited.Count == 0)
        {
            return "";
        }

        // A policy wholly from one lane says just that; a mixed one names what it took.
        bool allFromOne = inherited.Count == 1 && inherited[0].Count() == keys.Count(k => k.Lane is not null);
        return allFromOne
            ? $"  (from {inherited[0].Key})"
            : "  (" + string.Join("; ", inherited.Select(g => $"{string.Join(", ", g.Select(k => k.Key))} from {g.Key}")) + ")";
    }
}
