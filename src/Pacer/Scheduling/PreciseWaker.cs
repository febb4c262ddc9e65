using System.Runtime.InteropServices;

namespace Pacer;

/// <summary>
/// Wakes rate-bound lanes at their exact start time on the system clock. Timers fire up to a
/// millisecond or two late (whole-millisecond ticks, then a thread-pool hop), and with a burst of 1
/// every late start is throughput lost for good. One background thread per engine waits on a
/// monitor for the long stretch, sleeps in short slices near the end (nanosleep on Linux), spins
/// the last few microseconds, and then pumps the lane itself.
/// </summary>
/// <remarks>Only used with <see cref="TimeProvider.System"/>; any other provider gets plain timers.</remarks>
internal sealed partial class PreciseWaker : IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Lane, long> _due = new();
    private readonly TimeProvider _time;
    private readonly long _coarseTicks;
    private readonly long _sliceTicks;
    private readonly long _spinTicks;
    private readonly double _ticksPerMillisecond;
    private Thread? _thread;
    private bool _disposed;

    public PreciseWaker(TimeProvider time, TimeSpan spinWait)
    {
        _time = time;
        long frequency = time.TimestampFrequency;
        _ticksPerMillisecond = frequency / 1000.0;
        _coarseTicks = (long)(2 * _ticksPerMillisecond);
        _sliceTicks = (long)(0.5 * _ticksPerMillisecond);
        _spinTicks = OperatingSystem.IsLinux() ? (long)(0.08 * _ticksPerMillisecond) : (long)(spinWait.TotalMilliseconds * _ticksPerMillisecond);
    }

    /// <summary>Asks for <see cref="PacerEngine.OnLaneWake"/> at <paramref name="at"/>. Stale requests are harmless: the lane checks its own wake time.</summary>
    public void Schedule(Lane lane, long at)
    {
        lock (_gate)
        {
            bool earliest = !_due.TryPeek(out _, out long first) || at < first;
            _due.Enqueue(lane, at);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "Pacer precise waker", Priority = ThreadPriority.AboveNormal };
                _thread.Start();
            }
            else if (earliest)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _due.Clear();
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        if (OperatingSystem.IsLinux())
        {
            // Linux lets a sleeping thread oversleep by its timer slack, 50 µs by default: as much as
            // the spin that follows. One nanosecond of slack makes the short sleeps end on time.
            _ = SetTimerSlack(PrSetTimerSlack, 1);
        }

        while (TakeNext(out Lane? lane, out long at))
        {
            if (WaitPrecisely(lane, at))
            {
                lane.Engine.OnLaneWake(lane, fromPreciseWaker: true);
            }
        }
    }

    /// <summary>Waits on the monitor until the earliest request is at most 2 ms away, then takes it.</summary>
    private bool TakeNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Lane? lane, out long at)
    {
        lock (_gate)
        {
            while (true)
            {
                if (_disposed)
                {
                    lane = null;
                    at = 0;
                    return false;
                }

                if (!_due.TryPeek(out lane, out at))
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                long remaining = at - _time.GetTimestamp();
                if (remaining > _coarseTicks)
                {
                    Monitor.Wait(_gate, Math.Max(1, (int)Math.Min(int.MaxValue, (remaining / _ticksPerMillisecond) - 1)));
                    continue;
                }

                _due.Dequeue();
                return true;
            }
        }
    }

    /// <summary>Sleeps in short slices and spins the end; gives the request back if an earlier one arrived meanwhile.</summary>
    private bool WaitPrecisely(Lane lane, long at)
    {
        var spinner = default(SpinWait);
        long remaining;
        while ((remaining = at - _time.GetTimestamp()) > 0)
        {
            lock (_gate)
            {
                if (_due.TryPeek(out _, out long first) && first < at)
                {
                    _due.Enqueue(lane, at);
                    return false;
                }
            }

            if (remaining > _spinTicks && OperatingSystem.IsLinux())
            {
                long sleep = Math.Min(remaining - _spinTicks, _sliceTicks);
                Sleep(TimeSpan.FromMilliseconds(sleep / _ticksPerMillisecond));
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        return true;
    }

    private static void Sleep(TimeSpan span)
    {
        var request = new Timespec { Seconds = 0, Nanoseconds = (nint)(span.Ticks * 100) };
        _ = NanoSleep(in request, IntPtr.Zero);
    }

    private const int PrSetTimerSlack = 29;

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, nuint slackNanoseconds);

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in Timespec request, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
