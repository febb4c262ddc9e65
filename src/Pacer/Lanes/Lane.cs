namespace Pacer;

/// <summary>
/// A named set of limits jobs travel in, and its place in the lane tree. A job holds a slot in its
/// lane and in every ancestor while it runs. Everything here is guarded by the engine lock.
/// </summary>
internal sealed class Lane
{
    private readonly List<Lane> _children = [];

    public Lane(PacerEngine engine, string name, Lane? parent, LaneOptions options, long now)
    {
        Engine = engine;
        Name = name;
        Parent = parent;
        Root = parent?.Root ?? this;
        Depth = parent is null ? 0 : parent.Depth + 1;
        Stats = new LaneStats(engine.TimestampFrequency);
        Options = options;
        Rates = [.. options.Rates.Select(r => new RateGate(r, engine.TimestampFrequency, now))];
        CostRates = [.. options.CostRates.Select(r => new RateGate(r, engine.TimestampFrequency, now))];
        Quota = options.Quota is { } quota ? new QuotaGate(quota, engine.TimeProvider) : null;
        Subtree = [this];
        parent?.AddChild(this);
    }

    public PacerEngine Engine { get; }

    public string Name { get; }

    public Lane? Parent { get; }

    public Lane Root { get; }

    public int Depth { get; }

    /// <summary>This lane and every lane below it, parents before children.</summary>
    public Lane[] Subtree { get; private set; }

    public IReadOnlyList<Lane> Children => _children;

    public LaneOptions Options { get; private set; }

    public RateGate[] Rates { get; private set; }

    public RateGate[] CostRates { get; private set; }

    public QuotaGate? Quota { get; private set; }

    public LaneQueue Queue { get; } = new();

    public LaneStats Stats { get; }

    /// <summary>Attempts running in this lane and its sub-lanes.</summary>
    public int Running;

    /// <summary>The timestamp the wake timer is set for, or <see cref="long.MaxValue"/>.</summary>
    public long WakeAt = long.MaxValue;

    public ITimer? WakeTimer;

    public bool HasConcurrencyRoom => Options.MaxConcurrency is not { } max || Running < max;

    /// <summary>Applies new limits, keeping what each rate and quota has spent (matched by position).</summary>
    public void Reconfigure(LaneOptions options, long now)
    {
        Rates = Carry(Rates, options.Rates, now);
        CostRates = Carry(CostRates, options.CostRates, now);
        if (options.Quota is null)
        {
            Quota = null;
        }
        else if (Quota is null)
        {
            Quota = new QuotaGate(options.Quota, Engine.TimeProvider);
        }
        else
        {
            Quota.Reconfigure(options.Quota);
        }

        Options = options;
    }

    /// <summary>
    /// The most jobs per second the lane can start in steady state: the least of its rates, its
    /// cost rates over the average cost, and its concurrency over the observed latency, along the
    /// whole path to the root. <see langword="null"/> when nothing bounds it yet.
    /// </summary>
    public double? Capacity(double averageCost)
    {
        double? least = null;
        for (Lane? lane = this; lane is not null; lane = lane.Parent)
        {
            foreach (RateGate gate in lane.Rates)
            {
                least = Min(least, gate.Limit.PerSecondRate);
            }

            if (averageCost > 0)
            {
                foreach (RateGate gate in lane.CostRates)
                {
                    least = Min(least, gate.Limit.PerSecondRate / averageCost);
                }
            }

            if (lane.Options.MaxConcurrency is { } max && lane.Stats.LatencySeconds > 0)
            {
                least = Min(least, max / lane.Stats.LatencySeconds);
            }
        }

        return least;
    }

    private static double? Min(double? a, double b) => a is { } x ? Math.Min(x, b) : b;

    private RateGate[] Carry(RateGate[] gates, IList<RateLimit> limits, long now)
    {
        var result = new RateGate[limits.Count];
        for (int i = 0; i < limits.Count; i++)
        {
            if (i < gates.Length)
            {
                gates[i].Reconfigure(limits[i], Engine.TimestampFrequency, now);
                result[i] = gates[i];
            }
            else
            {
                result[i] = new RateGate(limits[i], Engine.TimestampFrequency, now);
            }
        }

        return result;
    }

    private void AddChild(Lane child)
    {
        _children.Add(child);
        for (Lane? lane = this; lane is not null; lane = lane.Parent)
        {
            lane.Subtree = [.. lane.Subtree, child];
        }
    }
}
