using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// Runs jobs in lanes as fast as their limits allow and no faster: concurrency, request rates
/// with burst, cost rates, quotas, priorities with aging, retries that hold no slot, cancellation,
/// batches and progress. Thread-safe.
/// </summary>
/// <remarks>
/// All scheduling state sits behind one lock, held only for decisions: no user code, continuation
/// or callback runs under it. The next start time of a rate-bound lane is computed (GCRA) and a
/// timer wakes the lane exactly then; nothing polls.
/// </remarks>
public sealed partial class PacerEngine : IAsyncDisposable
{
    /// <summary>The lane jobs travel in when their options name none.</summary>
    public const string DefaultLaneName = "default";

    private readonly Lock _lock = new();
    private readonly PacerOptions _options;
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Lane _defaultLane;
    private readonly long _agingTicks;
    private readonly PreciseWaker? _waker;

    /// <summary>Wakes nearer than this go to the precise waker; farther ones to a timer set to hand over in time.</summary>
    private readonly long _preciseHorizonTicks;
    private readonly RunningSet _running = new();
    private readonly Stack<AttemptToken> _tokenPool = new();
    private readonly Dictionary<string, Job> _idempotency = new(StringComparer.Ordinal);
    private readonly CompletionLog _recent;
    private readonly PacerMetrics _metrics;
    private EngineState _state;
    private long _nextId;

    /// <summary>Jobs submitted and not yet final.</summary>
    private long _live;
    private TaskCompletionSource? _drained;

    /// <summary>Creates an engine.</summary>
    /// <param name="options">Engine-wide settings; validated and copied.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names each one.</exception>
    public PacerEngine(PacerOptions? options = null)
    {
        _options = (options ?? new PacerOptions()).ValidatedCopy();
        TimeProvider = _options.TimeProvider;
        _retries = new RetryQueue(TimeProvider, s_onRetryWake, this);
        TimestampFrequency = TimeProvider.TimestampFrequency;
        _agingTicks = ToTimestampTicks(_options.PriorityAging);
        if (_options.SpinWait > TimeSpan.Zero && ReferenceEquals(TimeProvider, TimeProvider.System))
        {
            _waker = new PreciseWaker(TimeProvider, _options.SpinWait.Value);
            _preciseHorizonTicks = ToTimestampTicks(TimeSpan.FromMilliseconds(50));
        }
        _recent = new CompletionLog(_options.RecentCompletions);
        _defaultLane = new Lane(this, DefaultLaneName, null, _options.DefaultLane.ValidatedCopy(DefaultLaneName), Now);
        _lanes.Add(DefaultLaneName, _defaultLane);
        if (_defaultLane.Adaptive is not null)
        {
            // As AddLane does: the lane's gate and concurrency start from what it has learned (nothing yet).
            ApplyAdaptiveUnsynchronized(_defaultLane, Now);
        }

        _metrics = new PacerMetrics(this, _options.MeterFactory);
    }

    /// <summary>Where the engine reads time.</summary>
    public TimeProvider TimeProvider { get; }

    internal long TimestampFrequency { get; }

    internal long Now => TimeProvider.GetTimestamp();

    /// <summary>Adds a lane. A name with slashes (<c>openai/gpt-4o</c>) nests it under the lane before the last slash, which must exist.</summary>
    /// <param name="name">The lane's name: segments of letters, digits and <c>-_.:</c>, joined by <c>/</c>.</param>
    /// <param name="options">Its limits; validated and copied.</param>
    /// <exception cref="ArgumentException">The name is taken or malformed, the parent is missing, or an option is out of range.</exception>
    public void AddLane(string name, LaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateLaneName(name);
        LaneOptions copy = options.ValidatedCopy(name);
        lock (_lock)
        {
            if (_lanes.ContainsKey(name))
            {
                throw new ArgumentException($"Lane '{name}' already exists; change its limits with UpdateLane.", nameof(name));
            }

            Lane? parent = null;
            int slash = name.LastIndexOf('/');
            if (slash > 0 && !_lanes.TryGetValue(name[..slash], out parent))
            {
                throw new ArgumentException($"Lane '{name}': parent lane '{name[..slash]}' does not exist; add it first.", nameof(name));
            }

            var lane = new Lane(this, name, parent, copy, Now);
            _lanes.Add(name, lane);
            if (lane.Adaptive is not null)
            {
                ApplyAdaptiveUnsynchronized(lane, Now);
            }
        }
    }

    /// <summary>
    /// Changes a lane's limits while it runs. What the lane has spent is kept (each rate's debt
    /// and the quota's use carry over), so a change never grants a fresh burst.
    /// </summary>
    /// <param name="name">An existing lane.</param>
    /// <param name="options">The new limits; validated and copied.</param>
    /// <exception cref="ArgumentException">The lane does not exist, or an option is out of range.</exception>
    public void UpdateLane(string name, LaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        LaneOptions copy = options.ValidatedCopy(name);
        Job? chain;
        lock (_lock)
        {
            Lane lane = FindLaneUnsynchronized(name);
            long now = Now;
            lane.Reconfigure(copy, now);
            if (lane.Adaptive is not null)
            {
                ApplyAdaptiveUnsynchronized(lane, now);
            }

            lane.WakeAt = long.MaxValue;
            chain = PumpUnsynchronized(lane.Root, now);
        }

        RunChain(chain);
    }

    /// <summary>The names of all lanes, parents before children.</summary>
    public IReadOnlyList<string> LaneNames
    {
        get
        {
            lock (_lock)
            {
                return [.. _lanes.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    internal long ToTimestampTicks(TimeSpan span) => (long)((Int128)span.Ticks * TimestampFrequency / TimeSpan.TicksPerSecond);

    internal TimeSpan ToTimeSpan(long timestampTicks) =>
        TimeSpan.FromTicks((long)((((Int128)timestampTicks * TimeSpan.TicksPerSecond) + TimestampFrequency - 1) / TimestampFrequency));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Lane ResolveLane(JobOptions options)
    {
        // Lanes are never removed, so a lane found once stays right for these options and this engine.
        if (options.ResolvedLane is { } cached && ReferenceEquals(cached.Engine, this))
        {
            return cached;
        }

        Lane lane;
        lock (_lock)
        {
            lane = FindLaneUnsynchronized(options.Lane ?? DefaultLaneName);
        }

        options.ResolvedLane = lane;
        return lane;
    }

    private Lane FindLaneUnsynchronized(string name) =>
        _lanes.TryGetValue(name, out Lane? lane)
            ? lane
            : throw new ArgumentException($"Lane '{name}' does not exist; add it with AddLane first.");

    private static void ValidateLaneName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (string segment in name.Split('/'))
        {
            if (segment.Length == 0 || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                throw new ArgumentException(
                    $"Lane name '{name}' is malformed: use segments of letters, digits and -_.: joined by '/'.", nameof(name));
            }
        }
    }

    private enum EngineState
    {
        Running,
        Draining,
        Disposed,
    }
}
