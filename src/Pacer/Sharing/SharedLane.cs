namespace Pacer;

/// <summary>
/// The engine's side of a lane whose limits live in an <see cref="ILaneState"/>: the starts the
/// store reserved for this process, each usable from its time until a little after (the slack),
/// never later; and the concurrency slots this process holds. Guarded by the engine lock; the
/// engine fills it from outside the lock (<c>PacerEngine.Shared</c>).
/// </summary>
internal sealed class SharedLane
{
    /// <summary>How far ahead of need starts are reserved: what a process may leave unused when its work ends.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromMilliseconds(100);

    /// <summary>The most starts asked for at once.</summary>
    public const int MaxGrant = 1024;

    private readonly Queue<(long From, long Until)> _starts = new();
    private readonly string _leasePrefix = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}/";
    private long _nextLease;

    public SharedLane(ILaneState state, LaneOptions options, PacerEngine engine)
    {
        State = state;
        Apply(options, engine);
    }

    public ILaneState State { get; }

    public SharedRate[] Rates { get; private set; } = [];

    /// <summary>How long after its time a reserved start may still be used, in timestamp ticks.</summary>
    /// <remarks>
    /// Half the lane's period margin (at least 1 ms): starts in any window of a period then stay
    /// within the limit even when each is used at the end of its slack, and the other half of the
    /// margin still absorbs late delivery.
    /// </remarks>
    public long SlackTicks { get; private set; }

    /// <summary>A refill of starts is running (one at a time per lane).</summary>
    public bool Refilling;

    /// <summary>How many starts the last grant held; a refill starts again when half are used.</summary>
    public int LastGrant;

    /// <summary>Starts reserved but not used within their slack: capacity lost to every process.</summary>
    public long Expired;

    /// <summary>Why the store cannot be reached, while it cannot; the lane starts nothing meanwhile.</summary>
    public string? Problem;

    public int Count => _starts.Count;

    /// <summary>Whether the lane's concurrency is shared too: it has a limit, kept by the store's leases.</summary>
    public bool SharesSlots { get; private set; }

    /// <summary>How long a concurrency lease lasts unless renewed: what a process that dies keeps from the others.</summary>
    public TimeSpan LeaseTime { get; private set; }

    /// <summary>The concurrency leases this process holds; attempts run in them, one each, so <c>Running</c> never exceeds their count.</summary>
    public List<string> Leases { get; } = [];

    /// <summary>The lane's slot keeper runs (one at a time per lane).</summary>
    public bool Keeping;

    /// <summary>When the leases were last renewed, in engine timestamp ticks.</summary>
    public long RenewedAt;

    /// <summary>A new lease name, unique across processes and engines.</summary>
    public string NewLease() => _leasePrefix + (++_nextLease).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Apply(LaneOptions options, PacerEngine engine)
    {
        SharesSlots = options.MaxConcurrency is not null;
        LeaseTime = options.SharedLeaseTime;
        Rates = [.. options.Rates.Select(r => SharedRate.Of(r, options.PeriodMargin))];
        TimeSpan slack = options.PeriodMargin / 2;
        SlackTicks = engine.ToTimestampTicks(slack > TimeSpan.FromMilliseconds(1) ? slack : TimeSpan.FromMilliseconds(1));
    }

    /// <summary>
    /// Whether a reserved start is usable at <paramref name="now"/>, after dropping those past
    /// their slack. When not, <paramref name="wake"/> is the time of the next one, or
    /// <see cref="long.MaxValue"/> when none is held.
    /// </summary>
    public bool CanStart(long now, out long wake)
    {
        if (Rates.Length == 0)
        {
            wake = now;
            return true;
        }

        while (_starts.TryPeek(out (long From, long Until) start))
        {
            if (start.Until >= now)
            {
                wake = start.From;
                return start.From <= now;
            }

            _starts.Dequeue();
            Expired++;
        }

        wake = long.MaxValue;
        return false;
    }

    /// <summary>Uses the first reserved start; <see cref="CanStart"/> said yes under the same lock.</summary>
    public void Take()
    {
        if (Rates.Length > 0)
        {
            _starts.Dequeue();
        }
    }

    /// <summary>
    /// Adds the starts of <paramref name="grant"/>, asked at <paramref name="before"/> and answered at
    /// <paramref name="after"/>: the store's now fell between them, so each start is usable from its
    /// offset after <paramref name="after"/> (never early) until its offset and the slack after
    /// <paramref name="before"/> (never late).
    /// </summary>
    public void Add(StartGrant grant, long before, long after, PacerEngine engine)
    {
        foreach (long offset in grant.Starts)
        {
            long from = after + engine.ToTimestampTicks(TimeSpan.FromMicroseconds(offset));
            long until = before + engine.ToTimestampTicks(TimeSpan.FromMicroseconds(offset)) + SlackTicks;
            if (until >= from)
            {
                _starts.Enqueue((from, until));
            }
            else
            {
                Expired++;
            }
        }

        LastGrant = grant.Starts.Count;
    }

    /// <summary>Starts to ask the store for: the lane's jobs ready to start, less those held.</summary>
    public int Wanted(Lane lane)
    {
        if (Rates.Length == 0)
        {
            return 0;
        }

        int ready = lane.Stats.Queued;
        if (lane.MaxConcurrency is { } max)
        {
            ready = Math.Min(ready, max - lane.Running);
        }

        return Math.Min(ready, MaxGrant) - _starts.Count;
    }

    /// <summary>Whether to ask for more now: none held, or half of the last grant used.</summary>
    public bool Low => _starts.Count == 0 || _starts.Count * 2 <= LastGrant;
}
