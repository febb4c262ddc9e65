namespace Pacer;

/// <summary>
/// The engine's side of a lane whose limits live in an <see cref="ILaneState"/>: the starts the
/// store reserved for this process, each usable from its time until a little after (the slack),
/// never later, and each for a job of up to the cost it was reserved for; and the concurrency
/// slots this process holds. Guarded by the engine lock; the
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

    private readonly Queue<(long From, long Until, long Cost)> _starts = new();
    private readonly string _leasePrefix = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}/";
    private long _nextLease;

    public SharedLane(ILaneState state, LaneOptions options, PacerEngine engine)
    {
        State = state;
        Apply(options, engine);
    }

    public ILaneState State { get; }

    /// <summary>The lane's request rates, then its cost rates (<see cref="SharedRate.CountsCost"/>), as the store keeps them.</summary>
    public SharedRate[] Rates { get; private set; } = [];

    /// <summary>Whether the lane's starts are reserved from the store: it has rates or a quota there.</summary>
    public bool Reserves => Rates.Length > 0 || Quota is not null;

    /// <summary>Whether the lane has cost rates, or a quota that counts cost: each reserved start then holds a job's cost, and real costs are reported to the store.</summary>
    public bool HasCostRates { get; private set; }

    /// <summary>The lane's quota as the store keeps it, or null.</summary>
    public SharedQuota? Quota { get; private set; }

    /// <summary>
    /// Cost units to report to the store with the next reservation: what started jobs really cost
    /// beyond what was reserved for them, less what reserved starts held and their jobs did not
    /// need (refunds are negative).
    /// </summary>
    public long PendingAdjustment;

    /// <summary>The cost of the last job no held start was reserved for (its jobs queue in sub-lanes, or their order changed): later reservations hold at least this much.</summary>
    public long NeedCost;

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

    /// <summary>Starts reserved but not used within their slack, or given up for a job that costs more: capacity lost to every process (their cost, on cost rates, is given back).</summary>
    public long Expired;

    /// <summary>Why the store cannot be reached, while it cannot; the lane starts nothing meanwhile, or runs at its <see cref="Local"/> share.</summary>
    public string? Problem { get; private set; }

    /// <summary>The lane's limits at its share, kept alone while the store cannot be reached; null while it answers, or when the lane waits instead.</summary>
    public LocalShare? Local { get; private set; }

    /// <summary>The share of the lane's limits kept alone while the store cannot be reached; 0: the lane waits.</summary>
    public double DownShare { get; private set; }

    private LaneOptions _options = null!;

    /// <summary>The store failed with <paramref name="ex"/>; true when it answered before (a change to tell).</summary>
    public bool Lost(Exception ex, long now, PacerEngine engine)
    {
        bool first = Problem is null;
        string meanwhile = DownShare > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the lane runs alone at {DownShare:0.###} of its limits until it is back")
            : "the lane starts nothing until it is back";
        Problem = $"the shared lane state is unreachable ({ex.GetType().Name}: {ex.Message}); {meanwhile}";
        if (first && DownShare > 0)
        {
            Local = new LocalShare(_options, DownShare, engine, now);
        }

        return first;
    }

    /// <summary>The store answered; true when it had failed (a change to tell).</summary>
    public bool Restored()
    {
        bool was = Problem is not null;
        Problem = null;
        Local = null;
        return was;
    }

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
        _options = options;
        DownShare = options.SharedStateDownShare;
        SharesSlots = options.MaxConcurrency is not null;
        LeaseTime = options.SharedLeaseTime;
        Rates = [.. options.Rates.Select(r => SharedRate.Of(r, options.PeriodMargin)), .. options.CostRates.Select(r => SharedRate.Of(r, options.PeriodMargin) with { CountsCost = true })];
        Quota = options.Quota is { } quota ? SharedQuota.Of(quota) : null;
        HasCostRates = options.CostRates.Count > 0 || options.Quota is { CountsCost: true };
        TimeSpan slack = TimeSpan.FromTicks(Math.Clamp((options.PeriodMargin / 2).Ticks, TimeSpan.TicksPerMillisecond, MaxSlack.Ticks));
        SlackTicks = engine.ToTimestampTicks(slack);
        SlotLeadTicks = engine.ToTimestampTicks(SlotLead);
    }

    /// <summary>
    /// Whether a reserved start is usable at <paramref name="now"/> by a job that costs
    /// <paramref name="cost"/>, after dropping those past their slack. When not,
    /// <paramref name="wake"/> is the time of the next one, or <see cref="long.MaxValue"/> when none
    /// is held. A job that costs more than the next start holds (a job that came ahead of those
    /// the starts were reserved for) drops every start held, gives back their cost, and asks for
    /// starts that hold its own.
    /// </summary>
    public bool CanStart(long now, long cost, out long wake)
    {
        if (!Reserves)
        {
            wake = now;
            return true;
        }

        while (_starts.TryPeek(out (long From, long Until, long Cost) start))
        {
            if (start.Until >= now)
            {
                if (HasCostRates && cost > start.Cost)
                {
                    NeedCost = cost;
                    Expired += _starts.Count;
                    foreach ((long _, long _, long held) in _starts)
                    {
                        PendingAdjustment -= held;
                    }

                    _starts.Clear();
                    break;
                }

                wake = start.From;
                return start.From <= now;
            }

            _starts.Dequeue();
            Expired++;
            PendingAdjustment -= HasCostRates ? start.Cost : 0; // its cost was never spent: it goes back
        }

        wake = long.MaxValue;
        return false;
    }

    /// <summary>Uses the first reserved start for a job of <paramref name="cost"/>; <see cref="CanStart"/> said yes under the same lock.</summary>
    public void Take(long cost)
    {
        if (Reserves)
        {
            (long _, long _, long held) = _starts.Dequeue();
            if (HasCostRates)
            {
                PendingAdjustment += cost - held; // what the start held beyond the job's cost goes back
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="costs"/> with the cost of each of the next <paramref name="wanted"/>
    /// starts to reserve: the costs of the lane's queued jobs, in the order they start, after those
    /// the held starts are for; where the lane's own queue runs out (jobs of sub-lanes), the
    /// cost of the last job no start was held for, or 1.
    /// </summary>
    public void Costs(Lane lane, int wanted, long agingTicks, List<long> costs)
    {
        costs.Clear();
        if (HasCostRates)
        {
            lane.Queue.CopyCosts(_starts.Count, wanted, agingTicks, costs);
        }

        long fill = Math.Max(1, NeedCost);
        while (costs.Count < wanted)
        {
            costs.Add(fill);
        }
    }

    /// <summary>
    /// Adds the starts of <paramref name="grant"/>, asked at <paramref name="before"/> and answered at
    /// <paramref name="after"/>. The store's now fell between them, so each start is usable from its
    /// offset after <paramref name="after"/> (never early), for the slack; a slow answer's start may be
    /// that much later than the store meant, but never later than twice the slack (the whole margin).
    /// </summary>
    public void Add(StartGrant grant, IReadOnlyList<long> costs, long before, long after, PacerEngine engine)
    {
        for (int i = 0; i < grant.Starts.Count; i++)
        {
            long at = engine.ToTimestampTicks(TimeSpan.FromMicroseconds(grant.Starts[i]));
            long from = after + at;
            long until = Math.Min(from + SlackTicks, before + at + (2 * SlackTicks));
            _starts.Enqueue((from, until, costs[i]));
        }

        LastGrant = grant.Starts.Count;
    }

    /// <summary>Starts to ask the store for: the lane's jobs ready to start, less those held.</summary>
    public int Wanted(Lane lane)
    {
        if (!Reserves)
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
        if (Reserves)
        {
            int due = 0;
            foreach ((long from, long until, long _) in _starts)
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
