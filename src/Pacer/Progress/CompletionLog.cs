namespace Pacer;

/// <summary>The last few completions in a fixed ring: recording one allocates nothing.</summary>
/// <remarks>Not thread-safe: the engine lock guards it.</remarks>
internal sealed class CompletionLog(int capacity)
{
    private readonly CompletionRecord[] _ring = new CompletionRecord[capacity];
    private long _count;

    public void Add(CompletionRecord record)
    {
        if (_ring.Length == 0)
        {
            return;
        }

        _ring[(int)(_count % _ring.Length)] = record;
        _count++;
    }

    /// <summary>Newest first.</summary>
    public CompletionRecord[] ToArray()
    {
        int n = (int)Math.Min(_count, _ring.Length);
        var result = new CompletionRecord[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = _ring[(int)((_count - 1 - i) % _ring.Length)];
        }

        return result;
    }
}
