using System.Runtime.CompilerServices;

namespace Pacer;

// The overloads here differ from the ValueTask ones in their delegates' types, not in their
// optional parameters: a call that omits options or the token resolves as it always did.
#pragma warning disable RS0026

/// <summary>
/// Work that returns <see cref="Task"/> (what <see cref="HttpClient"/> and SDKs return) and items that
/// arrive as an <see cref="IAsyncEnumerable{T}"/>: the same entry points as for
/// <see cref="ValueTask{TResult}"/> work over a sequence, each a thin adapter to it. Where a lambda
/// fits both (an <c>async</c> one), the <see cref="ValueTask{TResult}"/> overload is chosen.
/// </summary>
public sealed partial class PacerEngine
{
    /// <summary>As <see cref="Submit{T}(Func{JobContext, ValueTask{T}}, JobOptions?, CancellationToken)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The work; it receives the attempt's context and token, and may run more than once.</param>
    /// <param name="options">Lane, priority, cost, timeout, retry policy and idempotency key; default: the default lane.</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    /// <returns>The job's handle.</returns>
    public JobHandle<T> Submit<T>(Func<JobContext, Task<T>> work, JobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(context => new ValueTask<T>(work(context)), options, cancellationToken);
    }

    /// <summary>As <see cref="RunAsync{T}(Func{JobContext, ValueTask{T}}, JobOptions?, CancellationToken)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="options">Lane, priority, cost, timeout, retry policy.</param>
    /// <param name="cancellationToken">Cancels the job.</param>
    /// <returns>The work's result.</returns>
    public Task<T> RunAsync<T>(Func<JobContext, Task<T>> work, JobOptions? options = null, CancellationToken cancellationToken = default) =>
        Submit(work, options, cancellationToken).Task;

    /// <summary>As <see cref="RunBatchAsync{TItem, TResult}(IEnumerable{TItem}, Func{TItem, JobContext, ValueTask{TResult}}, BatchOptions?, CancellationToken)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items; read once, as they are submitted.</param>
    /// <param name="body">The work for one item.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>One result per item, in item order.</returns>
    public Task<BatchResult<TResult>> RunBatchAsync<TItem, TResult>(
        IEnumerable<TItem> items, Func<TItem, JobContext, Task<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunBatchAsync(items, (item, context) => new ValueTask<TResult>(body(item, context)), options, cancellationToken);
    }

    /// <summary>As <see cref="ForEachAsync{TItem, TResult}(IEnumerable{TItem}, Func{TItem, CancellationToken, ValueTask{TResult}}, BatchOptions?, CancellationToken)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="body">The work for one item; its token is cancelled with the job.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>The results in item order.</returns>
    /// <exception cref="BatchFailedException">Some item did not succeed; every error is listed with its index.</exception>
    public Task<TResult[]> ForEachAsync<TItem, TResult>(
        IEnumerable<TItem> items, Func<TItem, CancellationToken, Task<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ForEachAsync(items, (item, token) => new ValueTask<TResult>(body(item, token)), options, cancellationToken);
    }

    /// <summary>
    /// As <see cref="RunBatchAsync{TItem, TResult}(IEnumerable{TItem}, Func{TItem, JobContext, ValueTask{TResult}}, BatchOptions?, CancellationToken)"/>,
    /// for items that arrive asynchronously (a paged listing, a channel): each is submitted as it
    /// arrives. If reading the items fails, the jobs already submitted are cancelled and the error is thrown.
    /// </summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items; read once.</param>
    /// <param name="body">The work for one item.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch, and the reading of the items.</param>
    /// <returns>One result per item, in item order.</returns>
    [OverloadResolutionPriority(1)]
    public async Task<BatchResult<TResult>> RunBatchAsync<TItem, TResult>(
        IAsyncEnumerable<TItem> items, Func<TItem, JobContext, ValueTask<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(body);
        Batch<TResult> batch = CreateBatch<TResult>(options, cancellationToken);
        Func<JobContext, ValueTask<TResult>> work = context => body((TItem)context.State!, context);
        try
        {
            await foreach (TItem item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(work, item);
            }
        }
        catch
        {
            batch.Cancel();
            batch.CompleteAdding();
            await ((Task)batch.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        return await batch.WhenAllAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>As <see cref="RunBatchAsync{TItem, TResult}(IAsyncEnumerable{TItem}, Func{TItem, JobContext, ValueTask{TResult}}, BatchOptions?, CancellationToken)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items; read once.</param>
    /// <param name="body">The work for one item.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch, and the reading of the items.</param>
    /// <returns>One result per item, in item order.</returns>
    public Task<BatchResult<TResult>> RunBatchAsync<TItem, TResult>(
        IAsyncEnumerable<TItem> items, Func<TItem, JobContext, Task<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunBatchAsync(items, (item, context) => new ValueTask<TResult>(body(item, context)), options, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ForEachAsync{TItem, TResult}(IEnumerable{TItem}, Func{TItem, CancellationToken, ValueTask{TResult}}, BatchOptions?, CancellationToken)"/>,
    /// for items that arrive asynchronously: each is submitted as it arrives.
    /// </summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="body">The work for one item; its token is cancelled with the job.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch, and the reading of the items.</param>
    /// <returns>The results in item order.</returns>
    /// <exception cref="BatchFailedException">Some item did not succeed; every error is listed with its index.</exception>
    [OverloadResolutionPriority(1)]
    public async Task<TResult[]> ForEachAsync<TItem, TResult>(
        IAsyncEnumerable<TItem> items, Func<TItem, CancellationToken, ValueTask<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        BatchResult<TResult> result = await RunBatchAsync(items, (item, context) => body(item, context.CancellationToken), options, cancellationToken)
            .ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return result.GetValuesOrThrow();
    }

    /// <summary>As <see cref="ForEachAsync{TItem, TResult}(IAsyncEnumerable{TItem}, Func{TItem, CancellationToken, ValueTask{TResult}}, BatchOptions?, CancellationToken)"/>, for work that returns a <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="body">The work for one item; its token is cancelled with the job.</param>
    /// <param name="options">Lane, priority, retry policy and fail-fast for all items.</param>
    /// <param name="cancellationToken">Cancels the batch, and the reading of the items.</param>
    /// <returns>The results in item order.</returns>
    /// <exception cref="BatchFailedException">Some item did not succeed; every error is listed with its index.</exception>
    public Task<TResult[]> ForEachAsync<TItem, TResult>(
        IAsyncEnumerable<TItem> items, Func<TItem, CancellationToken, Task<TResult>> body, BatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ForEachAsync(items, (item, token) => new ValueTask<TResult>(body(item, token)), options, cancellationToken);
    }
}
