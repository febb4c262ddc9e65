namespace Pacer.Simulator;

/// <summary>Everything the endpoints share: options, clock, hidden limits, statistics, faults and listing.</summary>
internal sealed class SimulatorRuntime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private long _nextId;

    public SimulatorRuntime(SimulatorOptions validated, TimeProvider time)
    {
        Options = validated;
        Clock = new SimulatorClock(time);
        Limiter = new RequestLimiter(validated.Limits, Clock);
        Stats = new StatsCollector(Clock);

        // Separate generators, so that turning faults on does not change the latency sequence.
        Latency = new LatencySampler(validated.Latency, new SeededRandom(validated.Seed));
        Faults = new FaultInjector(validated.Faults, new SeededRandom(unchecked(validated.Seed + 1)));
        Catalog = new ListingCatalog(validated.Listing, validated.Seed);
    }

    public SimulatorOptions Options { get; }

    public SimulatorClock Clock { get; }

    public RequestLimiter Limiter { get; }

    public StatsCollector Stats { get; }

    public LatencySampler Latency { get; }

    public FaultInjector Faults { get; }

    public ListingCatalog Catalog { get; }

    /// <summary>Cancelled when the simulator stops, so that requests waiting out their latency end at once.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void BeginStopping() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}
