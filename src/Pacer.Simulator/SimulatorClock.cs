namespace Pacer.Simulator;

/// <summary>
/// Monotonic time since the simulator started, as a <see cref="TimeSpan"/>, read from an injected
/// <see cref="TimeProvider"/> so that limits and statistics can be tested on fake time.
/// </summary>
internal sealed class SimulatorClock
{
    private readonly TimeProvider _time;
    private readonly long _start;

    public SimulatorClock(TimeProvider time)
    {
        _time = time;
        _start = time.GetTimestamp();
        SinceEpoch = time.GetUtcNow() - DateTimeOffset.UnixEpoch;
    }

    /// <summary>Unix time at clock time zero, so that clock times can be placed on whole Unix seconds.</summary>
    public TimeSpan SinceEpoch { get; }

    public TimeProvider TimeProvider => _time;

    /// <summary>Time elapsed since the clock was made; never goes back.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_start);

    /// <summary>Wall-clock time, for timestamps sent to clients.</summary>
    public DateTimeOffset UtcNow => _time.GetUtcNow();
}
