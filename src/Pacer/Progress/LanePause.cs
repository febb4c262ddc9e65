namespace Pacer;

/// <summary>
/// A pause a service's hints put on a lane: until when, why, how long the service asked for, and
/// whether <see cref="LaneOptions.MaxPause"/> cut it short. Shown by
/// <see cref="LaneSnapshot.Pause"/> while the lane is paused and carried by
/// <see cref="LaneEventArgs.Pause"/>.
/// </summary>
public sealed class LanePause
{
    internal LanePause(PauseReason reason, DateTimeOffset until, TimeSpan requested, TimeSpan duration, string description)
    {
        Reason = reason;
        Until = until;
        Requested = requested;
        Duration = duration;
        Description = description;
    }

    /// <summary>What the service said.</summary>
    public PauseReason Reason { get; }

    /// <summary>When the lane may start jobs again.</summary>
    public DateTimeOffset Until { get; }

    /// <summary>
    /// The wait the service asked for, from its answer on: the retry-after, or the time until the
    /// reset (for an allowance that refills steadily, until one request is free again).
    /// </summary>
    public TimeSpan Requested { get; }

    /// <summary>The pause the lane took: <see cref="Requested"/>, or <see cref="LaneOptions.MaxPause"/> when that is shorter.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the service asked for longer than <see cref="LaneOptions.MaxPause"/> and the pause was cut to it.</summary>
    public bool Capped => Requested > Duration;

    /// <summary>
    /// The pause in words, for a progress view: <c>Retry-After 30s</c>, <c>no requests remaining
    /// until the reset in 2m</c>, <c>no tokens remaining until the reset in 45s</c>; a capped one
    /// adds what it was capped to, as in <c>Retry-After 11d13h46m39s, capped at 1h</c>.
    /// </summary>
    public string Description { get; }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
