namespace Pacer.Server.Lanes;

/// <summary>
/// Each lane's limits as the engine has them now: those of the config at start, then as
/// <c>PATCH /api/lanes/{name}</c> changed them. A change lasts until the server stops.
/// </summary>
internal sealed class LaneSettings(IRequestFormat format, PacerEngine engine)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LaneOptions> _current = format.Lanes.ToDictionary(l => l.Name, l => l.Options, StringComparer.Ordinal);

    /// <summary>Applies <paramref name="change"/> to the lane's limits; what the lane has spent carries over (no fresh burst).</summary>
    /// <exception cref="ArgumentException">The engine refuses the limits.</exception>
    public bool TryChange(string lane, LaneChangeRequest change)
    {
        lock (_lock)
        {
            if (!_current.TryGetValue(lane, out LaneOptions? current))
            {
                return false;
            }

            LaneOptions changed = change.ApplyTo(current);
            engine.UpdateLane(lane, changed);
            _current[lane] = changed;
            return true;
        }
    }
}
