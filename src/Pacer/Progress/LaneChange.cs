namespace Pacer;

/// <summary>What a <see cref="LaneEventArgs"/> reports.</summary>
public enum LaneChange
{
    /// <summary>The circuit opened, went half-open or closed.</summary>
    Circuit,

    /// <summary>An adaptive lane's effective rate went down after a rate-limit refusal.</summary>
    RateDecreased,

    /// <summary>The service asked the lane to wait (retry-after, or nothing left until a reset).</summary>
    Paused,

    /// <summary>The service stated a limit below the lane's ceiling.</summary>
    CeilingLowered,

    /// <summary>The lane's shared state (<see cref="LaneOptions.SharedState"/>) cannot be reached: the lane starts nothing until it is back.</summary>
    SharedStateLost,

    /// <summary>The lane's shared state answers again after <see cref="SharedStateLost"/>.</summary>
    SharedStateRestored,
}
