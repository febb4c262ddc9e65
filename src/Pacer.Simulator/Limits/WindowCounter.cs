namespace Pacer.Simulator;

/// <summary>
/// What one limit has counted: the cost spent in the window that holds now, and when enough of it
/// leaves for more to fit. Not thread-safe: the owning <see cref="LimitPartition"/> locks.
/// </summary>
internal abstract class WindowCounter
{
    /// <summary>Cost spent in the window that holds <paramref name="now"/>.</summary>
    public abstract long Used(TimeSpan now);

    /// <summary>
    /// How long from <paramref name="now"/> until <paramref name="cost"/> more fits under
    /// <paramref name="limit"/>, if nothing else is spent meanwhile: zero when it fits now, and
    /// <see langword="null"/> when it never fits (the cost alone is over the limit).
    /// </summary>
    public abstract TimeSpan? WaitFor(long limit, long cost, TimeSpan now);

    /// <summary>Time from <paramref name="now"/> until everything spent is forgotten (full replenishment, the reset).</summary>
    public abstract TimeSpan UntilEmpty(TimeSpan now);

    /// <summary>Spends <paramref name="cost"/> at <paramref name="now"/>; times must not go back.</summary>
    public abstract void Add(long cost, TimeSpan now);

    /// <summary>Forgets everything spent.</summary>
    public abstract void Clear();
}
