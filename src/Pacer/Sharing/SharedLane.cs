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

    /// <summary>The longest a reserved start may be used after its time (with the first start's reach of 1 s, within the 1.05 s a restarted store counts a lane with no state as spent).</summary>
    public static readonly TimeSpan MaxSlack = TimeSpan.FromMilliseconds(50);

    /// <summary>How long before a start is due its lane takes a concurrency slot for it.</summary>
    public static readonly TimeSpan SlotLead = TimeSpan.FromMilliseconds(50);

    /// <summary><see cref="SlotLead"/> in timestamp ticks.</summary>
    public long SlotLeadTicks { get; private set; }

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
    /// Half the lane's period margin (at least 1 ms, at most <see cref="MaxSlack"/>): starts in any window of a period then stay
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
        TimeSpan slack = TimeSpan.FromTicks(Math.Clamp((options.PeriodMargin / 2).Ticks, TimeSpan.TicksPerMillisecond, MaxSlack.Ticks));
        SlackTicks = engine.ToTimestampTicks(slack);
        SlotLeadTicks = engine.ToTimestampTicks(SlotLead);
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
    /// <paramref name="after"/>. The store's now fell between them, so each start is usable from its
    /// offset after <paramref name="after"/> (never early), for the slack; a slow answer's start may be
    /// that much later than the store meant, but never later than twice the slack (the whole margin).
    /// </summary>
    public void Add(StartGrant grant, long before, long after, PacerEngine engine)
    {
        foreach (long offset in grant.Starts)
        {
            long at = engine.ToTimestampTicks(TimeSpan.FromMicroseconds(offset));
            long from = after + at;
            long until = Math.Min(from + SlackTicks, before + at + (2 * SlackTicks));
            _starts.Enqueue((from, until));
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

    /// <summary>
    /// The concurrency slots the lane has work for at <paramref name="now"/>: those running, and the
    /// queued jobs that could start soon but for a slot (with shared rates, no more than the starts
    /// it holds that are due within <see cref="SlotLead"/>, so the slot is there when the start is).
    /// A process so holds no slot another could use while it waits for its turn at the rate.
    /// </summary>
    public int SlotsWanted(Lane lane, long now)
    {
        long ready = lane.Stats.Queued;
        if (Rates.Length > 0)
        {
            int due = 0;
            foreach ((long from, long until) in _starts)
            {
                if (from > now + SlotLeadTicks)
                {
                    break;
                }

                due += until >= now ? 1 : 0;
            }

            ready = Math.Min(ready, due);
        }

        return (int)Math.Min(lane.MaxConcurrency ?? int.MaxValue, lane.Running + ready);
    }

    /// <summary>Whether to ask for more now: none held, or half of the last grant used.</summary>
    public bool Low => _starts.Count == 0 || _starts.Count * 2 <= LastGrant;
}
