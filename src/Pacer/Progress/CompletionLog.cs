using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>The last few completions in a fixed ring: recording one allocates and converts nothing.</summary>
/// <remarks>Not thread-safe: the engine lock guards it.</remarks>
internal sealed class CompletionLog(int capacity)
{
    private readonly Entry[] _ring = new Entry[capacity];
    private long _count;
    private int _next;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(Job job, long now)
    {
        if (_ring.Length == 0)
        {
            return;
        }

        _ring[_next] = new Entry(job.Id, job.Lane, job.State, now - job.SubmittedAt, job.Attempt, job.Index);
        _next = _next + 1 == _ring.Length ? 0 : _next + 1;
        _count++;
    }

    /// <summary>Newest first.</summary>
    public CompletionRecord[] ToArray(PacerEngine engine)
    {
        int n = (int)Math.Min(_count, _ring.Length);
        var result = new CompletionRecord[n];
        for (int i = 0; i < n; i++)
        {
            Entry e = _ring[(int)((_count - 1 - i) % _ring.Length)];
            result[i] = new CompletionRecord(e.Id, e.Lane.Name, e.State, engine.ToTimeSpan(e.DurationTicks), e.Attempts, e.Index);
        }

        return result;
    }

    private readonly record struct Entry(long Id, Lane Lane, JobState State, long DurationTicks, int Attempts, int Index);
}
