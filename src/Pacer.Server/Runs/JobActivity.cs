namespace Pacer.Server.Runs;

/// <summary>
/// What one claimed job of a run is doing, kept in its run's per-lane counts: waiting for its lane
/// (no attempt yet), in an attempt, or between attempts (waiting to retry). The store knows only
/// that the job is claimed.
/// </summary>
internal sealed class JobActivity(LaneActivity lane)
{
    private const int Waiting = 0;
    private const int InAttempt = 1;
    private const int BetweenAttempts = 2;

    private readonly Lock _lock = new();
    private int _state = Waiting;
    private bool _ended;

    /// <summary>The API's name of what the job is doing: queued (waiting for its lane), running, or waitingToRetry.</summary>
    public string State
    {
        get
        {
            lock (_lock)
            {
                return _state switch { InAttempt => "running", BetweenAttempts => "waitingToRetry", _ => "queued" };
            }
        }
    }

    /// <summary>Told true when an attempt starts, false when it ends.</summary>
    public void Attempting(bool on)
    {
        lock (_lock)
        {
            if (!_ended)
            {
                Move(on ? InAttempt : BetweenAttempts);
            }
        }
    }

    /// <summary>The job has its outcome: it leaves the counts.</summary>
    public void End()
    {
        lock (_lock)
        {
            Move(Waiting);
            _ended = true;
        }
    }

    private void Move(int to)
    {
        if (_state == InAttempt)
        {
            Interlocked.Decrement(ref lane.InAttempt);
        }
        else if (_state == BetweenAttempts)
        {
            Interlocked.Decrement(ref lane.BetweenAttempts);
        }

        if (to == InAttempt)
        {
            Interlocked.Increment(ref lane.InAttempt);
        }
        else if (to == BetweenAttempts)
        {
            Interlocked.Increment(ref lane.BetweenAttempts);
        }

        _state = to;
    }
}

/// <summary>How many of a run's jobs in one lane are in an attempt, and between attempts; and when its last job ended.</summary>
internal sealed class LaneActivity
{
#pragma warning disable CA1051 // Counted with Interlocked by JobActivity.
    public long InAttempt;
    public long BetweenAttempts;
#pragma warning restore CA1051

    private long _lastEndedTicks;

    /// <summary>When the lane's last job of the run ended, as far as this process saw; null before any (or after a restart).</summary>
    public DateTimeOffset? LastEnded => Interlocked.Read(ref _lastEndedTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Notes that one of the lane's jobs ended at <paramref name="at"/>.</summary>
    public void Ended(DateTimeOffset at)
    {
        long ticks = at.UtcTicks;
        long seen;
        while (ticks > (seen = Interlocked.Read(ref _lastEndedTicks)) && Interlocked.CompareExchange(ref _lastEndedTicks, ticks, seen) != seen)
        {
            // Another job ended meanwhile: look again.
        }
    }
}
