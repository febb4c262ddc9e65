namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>
    /// Runs items sequential, parallel, combined (several per call) or in a mode chosen from their
    /// number and the lane; a mode that fails as a whole hands over to the next (parallel, then
    /// combined, then sequential), and the result records each fallback with its reason.
    /// </summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">One item's result.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="options">The single and combine functions, the mode, the group size, the jobs' options.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>Every item's result, the mode used, the fallbacks and the metrics.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public Task<ModeResult<TResult>> RunModesAsync<TItem, TResult>(
        IReadOnlyList<TItem> items, ModeOptions<TItem, TResult> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ModeRunner<TItem, TResult>(this, items, options).RunAsync(cancellationToken);
    }
}
