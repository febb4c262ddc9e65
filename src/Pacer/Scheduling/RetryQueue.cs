namespace Pacer;

/// <summary>
/// The jobs waiting for their retry, by the time each may start again, and the one timer that
/// wakes the engine at the first of those times. Under the engine lock.
/// </summary>
internal sealed class RetryQueue(TimeProvider time, TimerCallback onWake, object state) : IDisposable
{
    private readonly PriorityQueue<Job, long> _jobs = new();
    private ITimer? _timer;
    private long _wakeAt = long.MaxValue;

    /// <summary>The jobs waiting, in no order; a cancelled one may still be among them until its time comes.</summary>
    public IEnumerable<Job> Jobs => _jobs.UnorderedItems.Select(i => i.Element);

    /// <summary>Parks <paramref name="job"/> until <paramref name="notBefore"/> (a timestamp), and sets the timer if that is the first.</summary>
    /// <param name="job">The job.</param>
    /// <param name="notBefore">When it may start again.</param>
    /// <param name="now">Now, as a timestamp.</param>
    /// <param name="due">A timer's due time for a wait of so many timestamp ticks.</param>
    public void AddUnsynchronized(Job job, long notBefore, long now, Func<long, TimeSpan> due)
    {
        _jobs.Enqueue(job, notBefore);
        ArmUnsynchronized(now, due);
    }

    /// <summary>The timer fired: from here the next <see cref="ArmUnsynchronized"/> sets it again.</summary>
    public void WokeUnsynchronized() => _wakeAt = long.MaxValue;

    /// <summary>Takes the next job whose time has come and that still waits to retry (a cancelled one is dropped); null when there is none.</summary>
    public Job? TakeDueUnsynchronized(long now)
    {
        while (_jobs.TryPeek(out Job? job, out long notBefore) && notBefore <= now)
        {
            _jobs.Dequeue();
            if (job.State == JobState.WaitingToRetry)
            {
                return job;
            }
        }

        return null;
    }

    /// <summary>Sets the timer for the first job's time, unless it is set for that time or sooner.</summary>
    public void ArmUnsynchronized(long now, Func<long, TimeSpan> due)
    {
        if (!_jobs.TryPeek(out _, out long first) || first >= _wakeAt)
        {
            return;
        }

        _wakeAt = first;
        _timer ??= time.CreateTimer(onWake, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(due(Math.Max(1, first - now)), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Empties the queue (the engine cancels what it held).</summary>
    public void ClearUnsynchronized() => _jobs.Clear();

    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
