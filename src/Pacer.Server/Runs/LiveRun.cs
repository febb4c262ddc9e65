using System.Collections.Concurrent;

namespace Pacer.Server.Runs;

/// <summary>
/// What the server keeps in memory of a run it serves: how many of its jobs are not final yet, the
/// requests in flight (to cancel them), its cap on concurrency, its latest completions and a pulse
/// on every change.
/// </summary>
internal sealed class LiveRun(RunRecord run, long remaining)
{
    private const int RecentCapacity = 10;

    private readonly ConcurrentDictionary<long, (CancellationTokenSource Request, JobActivity Activity)> _inFlight = new();
    private readonly Queue<RecentCompletion> _recent = new();
    private readonly ConcurrentDictionary<string, LaneActivity> _activity = new(StringComparer.Ordinal);
    private long _remaining = remaining;
    private int _attempting;
    private int _mostAttempting;
    private int _started = run.StartedAt is null ? 0 : 1;
    private int _ended = run.FinishedAt is null ? 0 : 1;

    public RunRecord Run { get; set; } = run;

    /// <summary>Fired whenever one of its jobs becomes final, and when it is cancelled.</summary>
    public Pulse Changed { get; } = new();

    /// <summary>Holds its jobs to its own cap on concurrency, when it has one.</summary>
    public SemaphoreSlim? Gate { get; } = run.MaxConcurrency is { } max ? new SemaphoreSlim(max, max) : null;

    /// <summary>Held while one job of the run is cancelled.</summary>
    public SemaphoreSlim CancelOne { get; } = new(1, 1);

    public long Remaining => Interlocked.Read(ref _remaining);

    public bool IsCancelled => Run.Cancelled;

    /// <summary>The run's jobs in <paramref name="lane"/> that are in an attempt or between attempts.</summary>
    public LaneActivity Activity(string lane) => _activity.GetOrAdd(lane, _ => new LaneActivity());

    /// <summary>True once, for the first job that starts.</summary>
    public bool Start() => Interlocked.Exchange(ref _started, 1) == 0;

    public void Track(long sequence, CancellationTokenSource request, JobActivity activity) => _inFlight[sequence] = (request, activity);

    /// <summary>The most of its jobs that were in an attempt at once (plan 003's parallel tasks spawned), since the server started.</summary>
    public int MostAttempting => Volatile.Read(ref _mostAttempting);

    /// <summary>Told true when an attempt of one of its jobs starts, false when it ends.</summary>
    public void Attempting(bool on)
    {
        if (!on)
        {
            Interlocked.Decrement(ref _attempting);
            return;
        }

        int now = Interlocked.Increment(ref _attempting);
        int most;
        while (now > (most = Volatile.Read(ref _mostAttempting)) && Interlocked.CompareExchange(ref _mostAttempting, now, most) != most)
        {
            // Another thread raised it meanwhile: compare again.
        }
    }

    /// <summary>What a claimed job is doing, when this server holds it.</summary>
    public JobActivity? ActivityOf(long sequence) => _inFlight.TryGetValue(sequence, out var held) ? held.Activity : null;

    public void Untrack(long sequence) => _inFlight.TryRemove(sequence, out _);

    /// <summary>Cancels the request of one job, when it is in flight.</summary>
    public void CancelInFlight(long sequence)
    {
        if (_inFlight.TryGetValue(sequence, out var held))
        {
            Cancel(held.Request);
        }
    }

    /// <summary>
    /// Cancels every request of the run this server holds: first those that wait for their lane
    /// or a retry, then those in an attempt. The other way round, the slot an attempt frees would
    /// start the next waiting job of the run before its cancellation came.
    /// </summary>
    public void CancelAllInFlight()
    {
        var held = _inFlight.Values.ToArray();
        foreach ((CancellationTokenSource request, _) in held.Where(h => h.Activity.State != "running"))
        {
            Cancel(request);
        }

        foreach ((CancellationTokenSource request, _) in held.Where(h => h.Activity.State == "running"))
        {
            Cancel(request);
        }
    }

    /// <summary>Counts one job final; true when it was the last.</summary>
    public bool Finished(RecentCompletion? completion)
    {
        if (completion is not null)
        {
            lock (_recent)
            {
                _recent.Enqueue(completion);
                if (_recent.Count > RecentCapacity)
                {
                    _recent.Dequeue();
                }
            }
        }

        bool last = Interlocked.Decrement(ref _remaining) == 0;
        Changed.Fire();
        return last;
    }

    /// <summary>Sets how many jobs are not final, as the store counts them (jobs may end in other processes).</summary>
    public void Recount(long remaining)
    {
        Interlocked.Exchange(ref _remaining, remaining);
        Changed.Fire();
    }

    /// <summary>True once: for the call that ends the run in this process.</summary>
    public bool End() => Interlocked.Exchange(ref _ended, 1) == 0;

    public IReadOnlyList<RecentCompletion> Recent()
    {
        lock (_recent)
        {
            return [.. _recent.Reverse()];
        }
    }

    private static void Cancel(CancellationTokenSource request)
    {
        try
        {
            request.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }
    }
}
