namespace Pacer;

/// <summary>A lane changed how it runs: its circuit, its adaptive rate, or a pause the service asked for.</summary>
public sealed class LaneEventArgs : EventArgs
{
    internal LaneEventArgs(string lane, LaneChange change, CircuitState circuit, double? rate, LanePause? pause, string? sharedStateProblem = null)
    {
        SharedStateProblem = sharedStateProblem;
        Lane = lane;
        Change = change;
        Circuit = circuit;
        Rate = rate;
        Pause = pause;
    }

    /// <summary>The lane.</summary>
    public string Lane { get; }

    /// <summary>What changed.</summary>
    public LaneChange Change { get; }

    /// <summary>The circuit's state after the change.</summary>
    public CircuitState Circuit { get; }

    /// <summary>An adaptive lane's effective rate per second after the change.</summary>
    public double? Rate { get; }

    /// <summary>Until when the lane is paused, if it is.</summary>
    public DateTimeOffset? PausedUntil => Pause?.Until;

    /// <summary>
    /// The pause the service's hints put on the lane, if it is paused: until when, why, and whether
    /// <see cref="LaneOptions.MaxPause"/> cut it short. Set on every <see cref="LaneChange.Paused"/>.
    /// </summary>
    public LanePause? Pause { get; }

    /// <summary>For <see cref="LaneChange.SharedStateLost"/>: why the lane's shared state cannot be reached.</summary>
    public string? SharedStateProblem { get; }
}
