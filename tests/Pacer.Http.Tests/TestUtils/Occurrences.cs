namespace Pacer.Http.Tests;

/// <summary>Counts something that happens on other threads, and lets a test await the n-th time.</summary>
internal sealed class Occurrences
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Records one more occurrence and returns the new count.</summary>
    public int Add()
    {
        List<TaskCompletionSource> due = [];
        int count;
        lock (_lock)
        {
            count = ++_count;
            foreach (var waiter in _waiters.Where(w => w.Count <= count).ToList())
            {
                _waiters.Remove(waiter);
                due.Add(waiter.Reached);
            }
        }

        due.ForEach(d => d.SetResult());
        return count;
    }

    /// <summary>Completes once at least <paramref name="count"/> occurrences have been recorded.</summary>
    public Task Reached(int count)
    {
        lock (_lock)
        {
            if (_count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }
}
