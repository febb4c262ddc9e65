namespace Pacer.Simulator;

/// <summary>What the rate-limit headers report about one limit.</summary>
/// <param name="Limit">The limit per window.</param>
/// <param name="Used">What was spent in the window ending now; above the limit after the limit was lowered.</param>
/// <param name="ResetAfter">Time until everything spent has left the window (full replenishment).</param>
internal readonly record struct WindowState(long Limit, long Used, TimeSpan ResetAfter)
{
    /// <summary>What is left in the window; never negative.</summary>
    public long Remaining => Math.Max(0, Limit - Used);
}
