namespace Pacer.Cli.Run;

/// <summary>What one lane's requests came to, for progress and the summary.</summary>
internal sealed class LaneTally
{
    private long _sent;
    private long _succeeded;
    private long _failed;
    private long _cancelled;
    private long _unsent;
    private long _retries;
    private long _tooManyRequests;
    private long _firstStart = long.MaxValue;
    private long _lastEnd = long.MinValue;
    private readonly Lock _statedLock = new();
    private double? _stated;

    /// <summary>Requests handed to the lane so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public long Cancelled => Interlocked.Read(ref _cancelled);

    public long Done => Succeeded + Failed + Cancelled;

    /// <summary>Requests cancelled before their first attempt (a signal, <c>--fail-fast</c>): handed to the lane, never sent.</summary>
    public long Unsent => Interlocked.Read(ref _unsent);

    /// <summary>Requests that made at least one attempt: what the service saw, and what rates are judged by.</summary>
    public long Attempted => Sent - Unsent;

    /// <summary>Requests that ended with an answer or a failure (not cancelled): what progress counts as done.</summary>
    public long Finished => Succeeded + Failed;

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Responses with status 429 on any attempt, retried ones included.</summary>
    public long TooManyRequests => Interlocked.Read(ref _tooManyRequests);

    /// <summary>Time from the first request handed to the lane to the last one finished; zero before both.</summary>
    public TimeSpan Span(TimeProvider time)
    {
        long first = Interlocked.Read(ref _firstStart);
        long last = Interlocked.Read(ref _lastEnd);
        return first == long.MaxValue || last <= first ? TimeSpan.Zero : time.GetElapsedTime(first, last);
    }

    public void Start(long timestamp)
    {
        Interlocked.Increment(ref _sent);
        long seen = Interlocked.Read(ref _firstStart);
        while (timestamp < seen && Interlocked.CompareExchange(ref _firstStart, timestamp, seen) != seen)
        {
            seen = Interlocked.Read(ref _firstStart);
        }
    }

    public void RecordTooManyRequests() => Interlocked.Increment(ref _tooManyRequests);

    /// <summary>The lowest request rate per second the service stated in its headers; null when it stated none.</summary>
    public double? StatedPerSecond
    {
        get
        {
            lock (_statedLock)
            {
                return _stated;
            }
        }
    }

    public void RecordStatedLimit(double perSecond)
    {
        lock (_statedLock)
        {
            _stated = _stated is { } seen ? Math.Min(seen, perSecond) : perSecond;
        }
    }

    public void Record(RunResult result, long timestamp)
    {
        if (result.Ok)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else if (result.Cancelled)
        {
            Interlocked.Increment(ref _cancelled);
            if (result.Attempts == 0)
            {
                // Never sent: it neither counts as sent nor stretches the lane's time.
                Interlocked.Increment(ref _unsent);
                return;
            }
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }

        if (result.Attempts > 1)
        {
            Interlocked.Add(ref _retries, result.Attempts - 1);
        }

        long seen = Interlocked.Read(ref _lastEnd);
        while (timestamp > seen && Interlocked.CompareExchange(ref _lastEnd, timestamp, seen) != seen)
        {
            seen = Interlocked.Read(ref _lastEnd);
        }
    }
}
