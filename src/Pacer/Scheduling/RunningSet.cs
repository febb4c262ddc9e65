using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// The tokens of running attempts, so that cancelling the engine reaches each running job.
/// Slots are reused through a free list: adding and removing allocate nothing once warm.
/// </summary>
/// <remarks>Not thread-safe: the engine lock guards it.</remarks>
internal sealed class RunningSet
{
    private AttemptToken?[] _slots = new AttemptToken?[16];
    private int[] _free = new int[16];
    private int _freeCount;
    private int _used;

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(AttemptToken token)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            if (_used == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
                Array.Resize(ref _free, _slots.Length);
            }

            slot = _used++;
        }

        _slots[slot] = token;
        token.Slot = slot;
        Count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Remove(AttemptToken token)
    {
        if (token.Slot < 0)
        {
            return;
        }

        _slots[token.Slot] = null;
        _free[_freeCount++] = token.Slot;
        token.Slot = -1;
        Count--;
    }

    /// <summary>The running job with <paramref name="id"/>, or null.</summary>
    public Job? Find(long id)
    {
        for (int i = 0; i < _used; i++)
        {
            if (_slots[i]?.Job is { } job && job.Id == id)
            {
                return job;
            }
        }

        return null;
    }

    public void CopyTo(List<Job> target)
    {
        for (int i = 0; i < _used; i++)
        {
            if (_slots[i]?.Job is { } job)
            {
                target.Add(job);
            }
        }
    }
}
