namespace Pacer;

/// <summary>What an adaptive lane is doing with its rate (see <see cref="AdaptiveOptions"/>).</summary>
public enum AdaptivePhase
{
    /// <summary>No refusal yet: the lane runs at its ceiling, its concurrency growing while requests end well.</summary>
    Starting,

    /// <summary>Back from a decrease, climbing to just under the limit it learned.</summary>
    Recovering,

    /// <summary>Just under the limit it learned.</summary>
    Holding,

    /// <summary>Above the limit it learned, and climbing: the service has kept admitting, so the limit may have risen.</summary>
    Probing,
}
