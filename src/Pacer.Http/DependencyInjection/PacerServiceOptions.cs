namespace Pacer.Http;

/// <summary>
/// What <c>services.AddPacer(o => …)</c> builds the container's <see cref="PacerEngine"/> from:
/// engine-wide settings and the lanes to add.
/// </summary>
public sealed class PacerServiceOptions
{
    private readonly List<KeyValuePair<string, LaneOptions>> _lanes = [];

    /// <summary>
    /// Engine-wide settings. A <see cref="PacerOptions.TimeProvider"/> left at
    /// <see cref="TimeProvider.System"/> is replaced by the container's <see cref="TimeProvider"/>
    /// when one is registered.
    /// </summary>
    /// <value>Default: <see cref="PacerOptions"/>'s defaults.</value>
    public PacerOptions Engine { get; set; } = new();

    /// <summary>
    /// Adds a lane. Nested lanes (<c>openai/gpt-4o</c>) may be added before or after their parent:
    /// the engine receives parents first.
    /// </summary>
    /// <param name="name">The lane's name.</param>
    /// <param name="options">Its limits; validated when the engine is built.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or was added already.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="options"/> is null.</exception>
    public PacerServiceOptions AddLane(string name, LaneOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        if (name == PacerEngine.DefaultLaneName)
        {
            throw new ArgumentException(
                $"Lane '{name}' always exists; set its limits with Engine.DefaultLane instead.", nameof(name));
        }

        if (_lanes.Exists(lane => lane.Key == name))
        {
            throw new ArgumentException($"Lane '{name}' was added already.", nameof(name));
        }

        _lanes.Add(new KeyValuePair<string, LaneOptions>(name, options));
        return this;
    }

    /// <summary>Adds a lane whose limits <paramref name="configure"/> sets.</summary>
    /// <param name="name">The lane's name.</param>
    /// <param name="configure">Sets the lane's limits on fresh <see cref="LaneOptions"/>.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or was added already.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="configure"/> is null.</exception>
    public PacerServiceOptions AddLane(string name, Action<LaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new LaneOptions();
        configure(options);
        return AddLane(name, options);
    }

    /// <summary>Builds the engine: its settings, then its lanes, parents before children.</summary>
    internal PacerEngine CreateEngine(TimeProvider? containerTime)
    {
        if (containerTime is not null && Engine is not null && ReferenceEquals(Engine.TimeProvider, TimeProvider.System))
        {
            Engine.TimeProvider = containerTime;
        }

        var engine = new PacerEngine(Engine);
        try
        {
            // OrderBy is stable: lanes of one depth keep the order they were added in.
            foreach (KeyValuePair<string, LaneOptions> lane in _lanes.OrderBy(lane => lane.Key.Count(c => c == '/')))
            {
                engine.AddLane(lane.Key, lane.Value);
            }
        }
        catch
        {
            // The container never gets this engine, so nobody else would stop its timers.
            _ = engine.DisposeAsync().AsTask();
            throw;
        }

        return engine;
    }
}
