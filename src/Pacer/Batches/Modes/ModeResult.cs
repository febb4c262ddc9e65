namespace Pacer;

/// <summary>Every item's result, the mode used, every fallback with its reason, and the run's metrics.</summary>
/// <typeparam name="TResult">One item's result.</typeparam>
/// <param name="Items">One result per item, in item order (its <see cref="JobResult{T}.Index"/> is the item's).</param>
/// <param name="Mode">The mode that produced them.</param>
/// <param name="Fallbacks">Modes that failed as a whole before it, with the reason.</param>
/// <param name="Metrics">Total time, jobs run, average job time.</param>
public sealed record ModeResult<TResult>(
    IReadOnlyList<JobResult<TResult>> Items, ProcessingMode Mode, IReadOnlyList<ModeFallback> Fallbacks, ModeMetrics Metrics)
{
    /// <summary>Whether every item succeeded.</summary>
    public bool AllSucceeded => Items.All(i => i.Succeeded);
}
