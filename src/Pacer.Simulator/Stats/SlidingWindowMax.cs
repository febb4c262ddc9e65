namespace Pacer.Simulator;

/// <summary>
/// The most starts seen in any window of a given length, computed exactly as starts arrive.
/// Windows are half-open: two starts exactly one window apart never share one. Any window's
/// starts also fit in the window that ends at its last start, so the maximum over the windows
/// ending at each start is the maximum over all windows. Keeps only the starts of the current
/// window, so memory is bounded by the maximum itself. Not thread-safe: the caller locks.
/// </summary>
internal sealed class SlidingWindowMax(TimeSpan window)
{
    private readonly Queue<TimeSpan> _starts = new();

    public TimeSpan Window => window;

    /// <summary>The most starts in any window so far.</summary>
    public int Max { get; private set; }

    /// <summary>Records a start; starts must come in time order.</summary>
    public void Record(TimeSpan at)
    {
        while (_starts.TryPeek(out var oldest) && at - oldest >= window)
        {
            _starts.Dequeue();
        }

        _starts.Enqueue(at);
        Max = Math.Max(Max, _starts.Count);
    }

    public void Clear()
    {
        _starts.Clear();
        Max = 0;
    }
}
