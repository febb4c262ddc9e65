namespace Pacer.Simulator;

/// <summary>
/// A sliding-window log: the cost of each accepted request and when it was accepted. An entry
/// counts while <c>now - at &lt; window</c>, so the counter answers exactly how much was spent in
/// the window ending now and when enough of it leaves for a new cost to fit. Memory is bounded by
/// the entries inside one window. This is how a steadily refilling allowance (OpenAI's,
/// Anthropic's) behaves when judged strictly. Not thread-safe: the owning <see cref="LimitPartition"/> locks.
/// </summary>
internal sealed class SlidingWindowCounter(TimeSpan window) : WindowCounter
{
    private readonly Queue<Entry> _entries = new();
    private long _used;
    private TimeSpan _newest;

    public override long Used(TimeSpan now)
    {
        Prune(now);
        return _used;
    }

    public override TimeSpan? WaitFor(long limit, long cost, TimeSpan now)
    {
        if (cost > limit)
        {
            return null;
        }

        Prune(now);
        long excess = _used + cost - limit;
        if (excess <= 0)
        {
            return TimeSpan.Zero;
        }

        // The oldest entries leave first; the wait ends when the ones that leave cover the excess.
        long freed = 0;
        foreach (var entry in _entries)
        {
            freed += entry.Cost;
            if (freed >= excess)
            {
                return entry.At + window - now;
            }
        }

        // Unreachable while cost <= limit: all entries leaving frees _used >= excess.
        return _newest + window - now;
    }

    public override TimeSpan UntilEmpty(TimeSpan now)
    {
        Prune(now);
        return _entries.Count == 0 ? TimeSpan.Zero : _newest + window - now;
    }

    public override void Add(long cost, TimeSpan now)
    {
        Prune(now);
        if (cost <= 0)
        {
            return;
        }

        _entries.Enqueue(new Entry(now, cost));
        _used += cost;
        _newest = now;
    }

    public override void Clear()
    {
        _entries.Clear();
        _used = 0;
    }

    private void Prune(TimeSpan now)
    {
        while (_entries.TryPeek(out var oldest) && now - oldest.At >= window)
        {
            _entries.Dequeue();
            _used -= oldest.Cost;
        }
    }

    private readonly record struct Entry(TimeSpan At, long Cost);
}
