using System.Runtime.CompilerServices;

namespace Pacer;

public sealed partial class PacerEngine
{
    /// <summary>Creates an empty batch; add jobs with <see cref="Batch{T}.Add(Func{JobContext, ValueTask{T}}, JobOptions?)"/>.</summary>
    /// <typeparam name="T">What the work of each job returns.</typeparam>
    /// <param name="options">Fail-fast and the jobs' default options.</param>
    /// <param name="cancellationToken">Cancels the whole batch.</param>
    /// <returns>The batch.</returns>
    public Batch<T> CreateBatch<T>(BatchOptions? options = null, CancellationToken cancellationToken = default) =>
        new(this, options ?? new BatchOptions(), cancellationToken);

    /// <summary>
    /// Runs <paramref name="body"/> for every item, within the limits of the batch's lane and with
    /// its retries, and returns every result in item order, partial results and errors included.
    /// </summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items; read once, as they are submitted.</param>
    /// <param name="body">The work for one item.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>One result per item, in item order.</returns>
    [OverloadResolutionPriority(1)] // an async lambda fits Task work too: ValueTask, the cheaper, wins
    public Task<BatchResult<TResult>> RunBatchAsync<TItem, TResult>(
        IEnumerable<TItem> items, Func<TItem, JobContext, ValueTask<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(body);
        Batch<TResult> batch = CreateBatch<TResult>(options, cancellationToken);
        Func<JobContext, ValueTask<TResult>> work = context => body((TItem)context.State!, context);
        foreach (TItem item in items)
        {
            batch.Add(work, item);
        }

        return batch.WhenAllAsync(CancellationToken.None);
    }

    /// <summary>
    /// The common case, as easy as <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, Func{TSource, CancellationToken, ValueTask})"/>
    /// but with the lane's limits and retries: items in, results out in item order.
    /// </summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="body">The work for one item; its token is cancelled with the job.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>The results in item order.</returns>
    /// <exception cref="BatchFailedException">Some item did not succeed; every error is listed with its index.</exception>
    [OverloadResolutionPriority(1)] // an async lambda fits Task work too: ValueTask, the cheaper, wins
    public async Task<TResult[]> ForEachAsync<TItem, TResult>(
        IEnumerable<TItem> items, Func<TItem, CancellationToken, ValueTask<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        BatchResult<TResult> result = await RunBatchAsync(items, (item, context) => body(item, context.CancellationToken), options, cancellationToken)
            .ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return result.GetValuesOrThrow();
    }
}
