namespace Pacer.Bench.Targets;

/// <summary>
/// Counts jobs in flight for the baselines, which have no batch of their own: completes
/// <see cref="Task"/> when adding has ended and the last job has completed.
/// </summary>
internal sealed class CompletionCounter
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One extra count stands for "still adding" and is dropped by EndAdding.
    private long _pending = 1;

    public Task Task => _done.Task;

    public void OnAdded() => Interlocked.Increment(ref _pending);

    public void OnCompleted()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.TrySetResult();
        }
    }

    public Task EndAdding()
    {
        OnCompleted();
        return _done.Task;
    }
}
