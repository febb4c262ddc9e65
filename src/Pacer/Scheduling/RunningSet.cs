namespace Pacer;

/// <summary>
/// The jobs whose attempts are running, so that cancelling the engine reaches each of them.
/// Slots are reused through a free list: adding and removing allocate nothing once warm.
/// </summary>
/// <remarks>Not thread-safe: the engine lock guards it.</remarks>
internal sealed class RunningSet
{
    private Job?[] _slots = new Job?[16];
    private int[] _free = new int[16];
    private int _freeCount;
    private int _used;

    public int Count { get; private set; }

    public void Add(Job job)
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

        _slots[slot] = job;
        job.RunSlot = slot;
        Count++;
    }

    public void Remove(Job job)
    {
        int slot = job.RunSlot;
        _slots[slot] = null;
        _free[_freeCount++] = slot;
        job.RunSlot = -1;
        Count--;
    }

    public void CopyTo(List<Job> target)
    {
        for (int i = 0; i < _used; i++)
        {
            if (_slots[i] is { } job)
            {
                target.Add(job);
            }
        }
    }
}
