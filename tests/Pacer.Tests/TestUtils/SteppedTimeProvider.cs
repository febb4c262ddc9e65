using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows when its timers are due, so that a test can move
/// time from one due time to the next: every callback then sees exactly the time it was due at,
/// as on a real clock, however far the test advances at once.
/// </summary>
/// <remarks>
/// <see cref="FakeTimeProvider.Advance(TimeSpan)"/> sets the clock to the end of the step before it
/// fires the timers due within it, and sleeps a millisecond of real time per call.
/// </remarks>
internal sealed class SteppedTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly HashSet<TrackedTimer> _pending = [];
    private readonly Random? _early;
    private readonly long _mostEarlyTicks;

    public SteppedTimeProvider()
    {
    }

    public SteppedTimeProvider(DateTimeOffset start)
    {
        SetUtcNow(start);
    }

    private SteppedTimeProvider(int seed, TimeSpan mostEarly)
    {
        _early = new Random(seed);
        _mostEarlyTicks = mostEarly.Ticks;
    }

    /// <summary>
    /// A clock whose timers fire early, as System.Threading timers do on Linux against the
    /// Stopwatch-based timestamp: each one-shot timer set for a due time d fires when the clock
    /// still reads a seeded random 0 to <paramref name="mostEarly"/> short of it (and never at or
    /// before the moment it was set, unless d is zero).
    /// </summary>
    public static SteppedTimeProvider FiringEarly(int seed, TimeSpan mostEarly) => new(seed, mostEarly);

    /// <summary>Timer callbacks that ran while the clock read before the timer's due time.</summary>
    public int EarlyFirings { get; private set; }

    /// <summary>When the earliest pending timer is due, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count == 0 ? null : _pending.Min(t => t.DueAt);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward by <paramref name="delta"/>, stopping at every timer due on the way.</summary>
    public void AdvanceStepwise(TimeSpan delta)
    {
        DateTimeOffset target = GetUtcNow() + delta;
        while (NextDue is { } due && due <= target)
        {
            SetUtcNow(due > GetUtcNow() ? due : GetUtcNow());
        }

        SetUtcNow(target);
    }

    /// <summary>Moves time from timer to timer until <paramref name="done"/> holds, at most <paramref name="limit"/> in all.</summary>
    /// <returns>Whether <paramref name="done"/> holds.</returns>
    public bool AdvanceUntil(Func<bool> done, TimeSpan limit)
    {
        DateTimeOffset end = GetUtcNow() + limit;
        while (!done())
        {
            if (NextDue is not { } due || due > end)
            {
                return false;
            }

            SetUtcNow(due > GetUtcNow() ? due : GetUtcNow());
        }

        return true;
    }

    /// <summary>
    /// Moves time from timer to timer until <paramref name="task"/> completes, at most
    /// <paramref name="limit"/> in all, then returns its result (or fails the test if it never completes).
    /// </summary>
    public async Task<T> RunUntilCompleteAsync<T>(Task<T> task, TimeSpan limit)
    {
        AdvanceUntil(() => task.IsCompleted, limit);
        return await task.DefaultTimeout();
    }

    /// <summary>
    /// A task that completes with <paramref name="value"/> once <paramref name="delay"/> of fake time
    /// has passed, synchronously on the thread that advances time (unlike
    /// <see cref="Task.Delay(TimeSpan, TimeProvider)"/>, whose continuations go to the thread pool).
    /// </summary>
    public Task<T> CompleteAfter<T>(TimeSpan delay, T value)
    {
        var done = new TaskCompletionSource<T>();
        ITimer? timer = null;
        timer = CreateTimer(
            _ =>
            {
                timer?.Dispose();
                done.TrySetResult(value);
            },
            null,
            delay,
            Timeout.InfiniteTimeSpan);
        return done.Task;
    }

    /// <summary>How much earlier than <paramref name="dueTime"/> a one-shot timer fires: zero unless made by <see cref="FiringEarly"/>.</summary>
    private TimeSpan EarlinessUnsynchronized(TimeSpan dueTime, TimeSpan period)
    {
        if (_early is null || period > TimeSpan.Zero || dueTime.Ticks <= 1)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks(_early.NextInt64(0, Math.Min(_mostEarlyTicks, dueTime.Ticks - 1) + 1));
    }

    private sealed class TrackedTimer(SteppedTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public ITimer Inner = null!;

        /// <summary>When the timer fires: its due time, less any earliness.</summary>
        public DateTimeOffset DueAt;
        private DateTimeOffset _trueDueAt;
        private TimeSpan _period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                _period = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan ? period : TimeSpan.Zero;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    owner._pending.Remove(this);
                }
                else
                {
                    _trueDueAt = owner.GetUtcNow() + dueTime;
                    dueTime -= owner.EarlinessUnsynchronized(dueTime, _period);
                    DueAt = owner.GetUtcNow() + dueTime;
                    owner._pending.Add(this);
                }
            }

            // The inner timer may fire at once (a zero due time), so it is changed outside the lock.
            try
            {
                return Inner.Change(dueTime, period);
            }
            catch
            {
                lock (owner._lock)
                {
                    owner._pending.Remove(this);
                }

                throw;
            }
        }

        public void Fire()
        {
            lock (owner._lock)
            {
                if (owner.GetUtcNow() < _trueDueAt)
                {
                    owner.EarlyFirings++;
                }

                if (_period > TimeSpan.Zero)
                {
                    DueAt = owner.GetUtcNow() + _period;
                }
                else
                {
                    owner._pending.Remove(this);
                }
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._pending.Remove(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
