namespace Pacer.Cli.Config;

/// <summary>
/// What a lane's requests share and a child lane inherits from its parent: the base URL, the
/// headers, the retry policy key by key, and the timeout; each value with the lane that set it.
/// Limits are not here: a child's own limits nest inside its parent's by the engine's lane tree.
/// </summary>
internal sealed record LaneShared(
    Setting<LaneBaseUrl>? BaseUrl,
    IReadOnlyList<Setting<LaneHeader>> Headers,
    Setting<int>? Retries,
    Setting<IReadOnlyList<int>>? Statuses,
    Setting<TimeSpan>? BaseDelay,
    Setting<TimeSpan>? MaxDelay,
    Setting<TimeSpan>? Timeout)
{
    /// <summary>What a lane without a parent inherits: nothing.</summary>
    public static LaneShared None { get; } = new(null, [], null, null, null, null, null);

    /// <summary>What <paramref name="own"/> sets, and <paramref name="parent"/>'s for the rest; headers merged by name, the lane's own winning.</summary>
    public static LaneShared Of(LaneSettings own, LaneShared parent) => new(
        own.BaseUrl ?? parent.BaseUrl,
        [.. own.Headers, .. parent.Headers.Where(h => !own.Headers.Any(o => string.Equals(o.Value.Name, h.Value.Name, StringComparison.OrdinalIgnoreCase)))],
        own.Retries ?? parent.Retries,
        own.Statuses ?? parent.Statuses,
        own.BaseDelay ?? parent.BaseDelay,
        own.MaxDelay ?? parent.MaxDelay,
        own.Timeout ?? parent.Timeout);

    /// <summary>The retry policy: what was set, the default's for the rest.</summary>
    public LaneRetry Retry() => LaneRetry.Create(Retries?.Value, BaseDelay?.Value, MaxDelay?.Value, Statuses?.Value);
}
