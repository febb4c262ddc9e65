using System.Diagnostics;

namespace Pacer.Bench.Measurements;

/// <summary>
/// Records job starts with <see cref="Stopwatch.GetTimestamp"/> (one slot per start, no lock) and,
/// afterwards, counts the most starts in any sliding window.
/// </summary>
internal sealed class StartRecorder(int capacity)
{
    private readonly long[] _starts = new long[capacity];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Called from the job body as its first act.</summary>
    public void Record()
    {
        int i = Interlocked.Increment(ref _count) - 1;
        if (i < _starts.Length)
        {
            _starts[i] = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>The most starts within any half-open window [t, t + <paramref name="window"/>).</summary>
    public int MaxStartsIn(TimeSpan window)
    {
        int n = Math.Min(Count, _starts.Length);
        long[] sorted = _starts[..n];
        Array.Sort(sorted);
        return MaxInWindow(sorted, (long)(window.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>
    /// Two pointers over sorted timestamps: a window that holds the most starts can be taken to
    /// begin at a start, so for each start count those less than <paramref name="width"/> after it.
    /// </summary>
    public static int MaxInWindow(ReadOnlySpan<long> sorted, long width)
    {
        int best = 0;
        int end = 0;
        for (int begin = 0; begin < sorted.Length; begin++)
        {
            if (end < begin)
            {
                end = begin;
            }

            while (end < sorted.Length && sorted[end] - sorted[begin] < width)
            {
                end++;
            }

            best = Math.Max(best, end - begin);
        }

        return best;
    }
}
