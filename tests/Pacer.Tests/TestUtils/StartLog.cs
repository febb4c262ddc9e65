namespace Pacer.Tests;

/// <summary>Records when job bodies begin, in fake time since the log was made.</summary>
internal sealed class StartLog(TimeProvider time)
{
    private readonly DateTimeOffset _origin = time.GetUtcNow();

    public DateTimeOffset Origin => _origin;
    private readonly List<(TimeSpan At, string Name)> _entries = [];

    public IReadOnlyList<TimeSpan> Times
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.Select(e => e.At)];
            }
        }
    }

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.Select(e => e.Name)];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>When the job named <paramref name="name"/> began first.</summary>
    public TimeSpan TimeOf(string name)
    {
        lock (_entries)
        {
            return _entries.First(e => e.Name == name).At;
        }
    }

    public void Record(string name)
    {
        lock (_entries)
        {
            _entries.Add((time.GetUtcNow() - _origin, name));
        }
    }

    /// <summary>A body that records its start and returns at once.</summary>
    public Func<JobContext, ValueTask<int>> Instant(string name = "") => _ =>
    {
        Record(name);
        return ValueTask.FromResult(0);
    };
}
