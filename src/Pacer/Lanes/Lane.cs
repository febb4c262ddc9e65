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
        Rates = [.. options.Rates.Select(r => new RateGate(r, engine.TimestampFrequency, now, options.PeriodMargin))];
        CostRates = [.. options.CostRates.Select(r => new RateGate(r, engine.TimestampFrequency, now, options.PeriodMargin))];
        Quota = options.Quota is { } quota ? new QuotaGate(quota, engine.TimeProvider) : null;
        Circuit = options.CircuitBreaker is { } breaker ? new CircuitBreaker(breaker, engine.TimestampFrequency) : null;
        Adaptive = options.Adaptive is { } adaptive ? new AdaptiveRate(adaptive, options.Rates[0].PerSecondRate, options.MaxConcurrency, engine.TimestampFrequency, now) : null;
        MaxConcurrency = options.MaxConcurrency;
        Shared = options.SharedState is { } state ? new SharedLane(state, options, engine) : null;
        Subtree = [this];
        parent?.AddChild(this);
        RefreshResilience();
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

    public CircuitBreaker? Circuit { get; private set; }

    public AdaptiveRate? Adaptive { get; private set; }

    /// <summary>The lane's starts and slots kept in a shared store, or <see langword="null"/> when its limits are this process's own.</summary>
    public SharedLane? Shared { get; private set; }

    /// <summary>The concurrency limit in force: the configured one, scaled by an adaptive lane that adapts concurrency.</summary>
    public int? MaxConcurrency { get; set; }

    public LaneQueue Queue { get; } = new();

    public LaneStats Stats { get; }

    /// <summary>Attempts running in this lane and its sub-lanes.</summary>
    public int Running;

    /// <summary>No job starts before this timestamp: the service asked the lane to wait (retry-after, or nothing left until a reset).</summary>
    public long PausedUntil = long.MinValue;

    /// <summary>Why the lane is paused until <see cref="PausedUntil"/>: the hint that set it.</summary>
    public LanePause? Pause;

    /// <summary>The timestamp the wake timer is set for, or <see cref="long.MaxValue"/>.</summary>
    public long WakeAt = long.MaxValue;

    public ITimer? WakeTimer;

    /// <summary>Whether this lane or an ancestor is adaptive or has a circuit breaker, so outcomes must be recorded.</summary>
    public bool HasResilience { get; private set; }

    /// <summary>Works out <see cref="HasResilience"/> again for this lane and every lane below it, after a change of limits.</summary>
    public void RefreshResilience()
    {
        foreach (Lane lane in Subtree)
        {
            lane.HasResilience = false;
            for (Lane? l = lane; l is not null; l = l.Parent)
            {
                lane.HasResilience |= l.Adaptive is not null || l.Circuit is not null;
            }
        }
    }

    public bool HasConcurrencyRoom => MaxConcurrency is not { } max || Running < max;

    /// <summary>Applies new limits, keeping what each rate and quota has spent (matched by position).</summary>
    public void Reconfigure(LaneOptions options, long now)
    {
        Rates = Carry(Rates, options.Rates, options.PeriodMargin, now);
        CostRates = Carry(CostRates, options.CostRates, options.PeriodMargin, now);
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

        if (options.CircuitBreaker is null)
        {
            Circuit = null;
        }
        else if (Circuit is null)
        {
            Circuit = new CircuitBreaker(options.CircuitBreaker, Engine.TimestampFrequency);
        }
        else
        {
            Circuit.Reconfigure(options.CircuitBreaker, Engine.TimestampFrequency);
        }

        if (options.Adaptive is null)
        {
            Adaptive = null;
        }
        else if (Adaptive is null)
        {
            Adaptive = new AdaptiveRate(options.Adaptive, options.Rates[0].PerSecondRate, options.MaxConcurrency, Engine.TimestampFrequency, now);
        }
        else
        {
            Adaptive.Reconfigure(options.Adaptive, options.Rates[0].PerSecondRate, options.MaxConcurrency);
        }

        if (options.SharedState is null)
        {
            Shared = null;
        }
        else if (Shared is null || !ReferenceEquals(Shared.State, options.SharedState))
        {
            Shared = new SharedLane(options.SharedState, options, Engine);
        }
        else
        {
            Shared.Apply(options, Engine);
        }

        Options = options;
        MaxConcurrency = options.MaxConcurrency;
        RefreshResilience();
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
                least = Min(least, gate.PerSecondRate);
            }

            if (averageCost > 0)
            {
                foreach (RateGate gate in lane.CostRates)
                {
                    least = Min(least, gate.PerSecondRate / averageCost);
                }
            }

            if (lane.MaxConcurrency is { } max && lane.Stats.LatencySeconds > 0)
            {
                least = Min(least, max / lane.Stats.LatencySeconds);
            }
        }

        return least;
    }

    private static double? Min(double? a, double b) => a is { } x ? Math.Min(x, b) : b;

    private RateGate[] Carry(RateGate[] gates, IList<RateLimit> limits, TimeSpan margin, long now)
    {
        var result = new RateGate[limits.Count];
        for (int i = 0; i < limits.Count; i++)
        {
            if (i < gates.Length)
            {
                gates[i].Reconfigure(limits[i], Engine.TimestampFrequency, now, margin);
                result[i] = gates[i];
            }
            else
            {
                result[i] = new RateGate(limits[i], Engine.TimestampFrequency, now, margin);
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
