namespace Pacer;

/// <summary>
/// Completions per second as a moving average over the last <see cref="Buckets"/> seconds, in
/// one-second buckets, read off timestamps (so fake time drives it exactly).
/// </summary>
/// <remarks>Not thread-safe: the engine lock guards it.</remarks>
internal sealed class ThroughputMeter(long timestampFrequency)
{
    public const int Buckets = 10;

    private readonly long[] _counts = new long[Buckets];
    private long _currentSecond = long.MinValue;
    private long _firstTimestamp = long.MinValue;

    public void Record(long now)
    {
        Roll(now);
        _counts[(int)(_currentSecond % Buckets)]++;
    }

    /// <summary>Completions per second over the window, or over the time since the first one when shorter.</summary>
    public double PerSecond(long now)
    {
        if (_firstTimestamp == long.MinValue)
        {
            return 0;
        }

        Roll(now);
        long total = 0;
        foreach (long c in _counts)
        {
            total += c;
        }

        double seconds = Math.Min(Buckets, (double)(now - _firstTimestamp) / timestampFrequency);
        return seconds <= 0 ? 0 : total / Math.Max(seconds, 1);
    }

    private void Roll(long now)
    {
        if (_firstTimestamp == long.MinValue)
        {
            _firstTimestamp = now;
        }

        long second = (now - _firstTimestamp) / timestampFrequency;
        if (_currentSecond == long.MinValue)
        {
            _currentSecond = second;
            return;
        }

        if (second <= _currentSecond)
        {
            return;
        }

        long clear = Math.Min(second - _currentSecond, Buckets);
        for (long s = 1; s <= clear; s++)
        {
            _counts[(int)((_currentSecond + s) % Buckets)] = 0;
        }

        _currentSecond = second;
    }
}
