namespace Pacer.Simulator;

/// <summary>
/// A fixed window, as GitHub and many REST APIs count: everything spent in the current window is
/// forgotten at once when it ends, and windows end on whole multiples of their length in Unix time
/// (every second on the second, every minute on the minute), so a reset sent in whole Unix seconds
/// is exact. <c>Used</c> never exceeds the limit within one window, though two windows' worth can
/// arrive within one window's length across a boundary. Not thread-safe: the owning
/// <see cref="LimitPartition"/> locks.
/// </summary>
/// <param name="window">The window's length.</param>
/// <param name="sinceEpoch">Unix time at clock time zero, which places the window boundaries.</param>
internal sealed class FixedWindowCounter(TimeSpan window, TimeSpan sinceEpoch) : WindowCounter
{
    private long _index = long.MinValue;
    private long _used;

    public override long Used(TimeSpan now)
    {
        Roll(now);
        return _used;
    }

    public override TimeSpan? WaitFor(long limit, long cost, TimeSpan now)
    {
        if (cost > limit)
        {
            return null;
        }

        Roll(now);
        return _used + cost <= limit ? TimeSpan.Zero : End(now) - now;
    }

    public override TimeSpan UntilEmpty(TimeSpan now)
    {
        Roll(now);
        return _used == 0 ? TimeSpan.Zero : End(now) - now;
    }

    public override void Add(long cost, TimeSpan now)
    {
        Roll(now);
        if (cost > 0)
        {
            _used += cost;
        }
    }

    public override void Clear() => _used = 0;

    private long IndexOf(TimeSpan now) => (now + sinceEpoch).Ticks / window.Ticks;

    /// <summary>When the window that holds <paramref name="now"/> ends, on the clock.</summary>
    private TimeSpan End(TimeSpan now) => TimeSpan.FromTicks(((IndexOf(now) + 1) * window.Ticks) - sinceEpoch.Ticks);

    private void Roll(TimeSpan now)
    {
        long index = IndexOf(now);
        if (index != _index)
        {
            _index = index;
            _used = 0;
        }
    }
}
