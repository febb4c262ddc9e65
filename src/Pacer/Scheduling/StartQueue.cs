using System.Runtime.CompilerServices;

namespace Pacer;

/// <summary>
/// One thread's jobs about to run their attempts, linked through <see cref="Job.Next"/>. A job that
/// completes synchronously starts the next from inside its own completion; appending here instead
/// of recursing keeps the stack flat for a million synchronous jobs.
/// </summary>
internal sealed class StartQueue
{
    private Job? _head;
    private Job? _tail;

    /// <summary>Whether this thread is already draining the queue further up its stack.</summary>
    public bool Running;

    /// <summary>A posted job that ended on this thread, ready for the next post here.</summary>
    public PostedJob? Spare;

    /// <summary>This thread's queue, made on first use.</summary>
    public static StartQueue ForThisThread => t_current ??= new StartQueue();

    [ThreadStatic]
    private static StartQueue? t_current;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(Job chain)
    {
        if (_tail is null)
        {
            _head = chain;
        }
        else
        {
            _tail.Next = chain;
        }

        Job last = chain;
        while (last.Next is not null)
        {
            last = last.Next;
        }

        _tail = last;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Job? job)
    {
        job = _head;
        if (job is null)
        {
            return false;
        }

        _head = job.Next;
        if (_head is null)
        {
            _tail = null;
        }

        job.Next = null;
        return true;
    }
}
