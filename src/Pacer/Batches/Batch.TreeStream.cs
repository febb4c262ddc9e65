using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>Results in tree order as they become final: the stream a fan-out's reader keeps in order.</summary>
public sealed partial class Batch<T>
{
    /// <summary>Completed (and dropped) whenever a job of the batch becomes final or adding completes: what a tree-order reader waits on.</summary>
    private TaskCompletionSource? _treeChanged;

    /// <summary>
    /// Yields every result in tree order (each job added directly, then its children in the order
    /// added, depth first: the order of <see cref="BatchResult{T}.Items"/>), each as soon as it and
    /// every result before it are final, while the tree still runs. Under
    /// <see cref="ChildFailureMode.FailParent"/> a parent is given once its whole subtree is final,
    /// since a child that fails later fails it. Ends when the batch completes (after
    /// <see cref="CompleteAdding"/>). Any number of readers may read it.
    /// </summary>
    /// <param name="cancellationToken">Stops reading (the jobs go on).</param>
    /// <returns>The results in tree order.</returns>
    public async IAsyncEnumerable<JobResult<T>> ReadInTreeOrderAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int given = 0;
        while (true)
        {
            var ready = new List<JobResult<T>>();
            Task? changed;
            lock (_lock)
            {
                // A job that is not final yet may still add children, which go after its subtree so
                // far: the prefix of final jobs never moves.
                Job<T>[] order = _parentOf is null ? [.. _jobs] : TreeOrderUnsynchronized();
                while (given < order.Length && IsReadyUnsynchronized(order[given]))
                {
                    ready.Add(ToResult(order[given]));
                    given++;
                }

                bool complete = _addingCompleted && _final == _jobs.Count && given == order.Length;
                changed = complete ? null : (_treeChanged ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            foreach (JobResult<T> result in ready)
            {
                yield return result;
            }

            if (changed is null)
            {
                yield break;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsReadyUnsynchronized(Job<T> job) =>
        job.IsFinal && (_options.ChildFailure != ChildFailureMode.FailParent || _childrenOf?.ContainsKey(job.Index) != true
            || SubtreeUnsynchronized(job.Index).All(j => j.IsFinal));

    /// <summary>Wakes the tree-order readers. Under the batch's lock.</summary>
    private void SignalTreeUnsynchronized()
    {
        _treeChanged?.TrySetResult();
        _treeChanged = null;
    }
}
