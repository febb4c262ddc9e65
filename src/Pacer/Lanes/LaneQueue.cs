using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// A lane's waiting jobs: one FIFO list per priority level, linked through <see cref="Job.Next"/>.
/// </summary>
/// <remarks>
/// Aging makes a job's effective priority p + (now − enqueued) ÷ aging. Comparing two jobs, now
/// cancels out: a goes first when p_a × aging − enqueued_a > p_b × aging − enqueued_b. So the order
/// is fixed at enqueue time, the head of each level is its best job, and the best job overall is
/// the best of the level heads: O(levels) per pick, no per-job storage beyond the link.
/// Cancelled jobs are left in place and dropped when they reach a head (lazy deletion).
/// Not thread-safe: the engine lock guards it.
/// </remarks>
internal sealed class LaneQueue
{
    private Level[] _levels = [];
    private int _levelCount;

    /// <summary>Jobs in the lists, cancelled ones not yet dropped included.</summary>
    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Enqueue(Job job)
    {
        job.Next = null;
        ref Level level = ref FindOrAddLevel(job.Options.Priority);
        if (level.Tail is null)
        {
            level.Head = job;
        }
        else
        {
            level.Tail.Next = job;
        }

        level.Tail = job;
        Count++;
    }

    /// <summary>The best live job, or null; drops dead heads on the way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Job? Peek(long agingTicks)
    {
        if (_levelCount == 1)
        {
            // One priority level (the common case): its head is the best job, no keys to compare.
            ref Level only = ref _levels[0];
            while (only.Head is { State: not JobState.Queued })
            {
                RemoveHead(ref only);
            }

            return only.Head;
        }

        Job? best = null;
        Int128 bestKey = default;
        for (int i = 0; i < _levelCount; i++)
        {
            ref Level level = ref _levels[i];
            while (level.Head is { State: not JobState.Queued })
            {
                RemoveHead(ref level);
            }

            if (level.Head is not { } head)
            {
                continue;
            }

            Int128 key = Key(head, agingTicks);
            if (best is null || key > bestKey)
            {
                best = head;
                bestKey = key;
            }
        }

        return best;
    }

    /// <summary>Removes <paramref name="job"/>, which <see cref="Peek"/> has just returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RemovePeeked(Job job)
    {
        ref Level level = ref FindOrAddLevel(job.Options.Priority);
        Debug.Assert(ReferenceEquals(level.Head, job));
        RemoveHead(ref level);
    }

    /// <summary>The queued job with <paramref name="id"/>, or null; a walk of the queue, for a cancel by id.</summary>
    public Job? Find(long id)
    {
        for (int i = 0; i < _levelCount; i++)
        {
            for (Job? job = _levels[i].Head; job is not null; job = job.Next)
            {
                if (job.Id == id)
                {
                    return job;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Adds to <paramref name="costs"/> the costs of up to <paramref name="take"/> live jobs in the
    /// order they would start, after the first <paramref name="skip"/>: a merge of the levels by key.
    /// </summary>
    public void CopyCosts(int skip, int take, long agingTicks, List<long> costs)
    {
        var cursors = new Job?[_levelCount];
        for (int i = 0; i < _levelCount; i++)
        {
            cursors[i] = _levels[i].Head;
        }

        int seen = 0;
        while (costs.Count < take)
        {
            int best = -1;
            Int128 bestKey = default;
            for (int i = 0; i < _levelCount; i++)
            {
                while (cursors[i] is { State: not JobState.Queued } dead)
                {
                    cursors[i] = dead.Next;
                }

                if (cursors[i] is { } job && (best < 0 || Key(job, agingTicks) > bestKey))
                {
                    best = i;
                    bestKey = Key(job, agingTicks);
                }
            }

            if (best < 0)
            {
                return;
            }

            Job next = cursors[best]!;
            cursors[best] = next.Next;
            if (seen++ >= skip)
            {
                costs.Add(next.Options.Cost);
            }
        }
    }

    /// <summary>Takes every job out, live or not; used when the engine is cancelled.</summary>
    public Job? DrainAll()
    {
        Job? first = null;
        Job? last = null;
        for (int i = 0; i < _levelCount; i++)
        {
            ref Level level = ref _levels[i];
            if (level.Head is null)
            {
                continue;
            }

            if (last is null)
            {
                first = level.Head;
            }
            else
            {
                last.Next = level.Head;
            }

            last = level.Tail;
        }

        _levelCount = 0;
        Count = 0;
        return first;
    }

    /// <summary>Higher key goes first: priority × aging − enqueue time.</summary>
    public static Int128 Key(Job job, long agingTicks) => ((Int128)job.Options.Priority * agingTicks) - job.Timestamp;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RemoveHead(ref Level level)
    {
        Job head = level.Head!;
        level.Head = head.Next;
        if (level.Head is null)
        {
            level.Tail = null;
        }

        head.Next = null;
        Count--;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ref Level FindOrAddLevel(int priority)
    {
        // Few distinct priorities in practice: a linear scan of a sorted array beats a dictionary.
        int i = 0;
        for (; i < _levelCount; i++)
        {
            if (_levels[i].Priority == priority)
            {
                return ref _levels[i];
            }

            if (_levels[i].Priority < priority)
            {
                break;
            }
        }

        if (_levelCount == _levels.Length)
        {
            Array.Resize(ref _levels, Math.Max(4, _levels.Length * 2));
        }

        Array.Copy(_levels, i, _levels, i + 1, _levelCount - i);
        _levels[i] = new Level { Priority = priority };
        _levelCount++;
        return ref _levels[i];
    }

    private struct Level
    {
        public int Priority;
        public Job? Head;
        public Job? Tail;
    }
}
