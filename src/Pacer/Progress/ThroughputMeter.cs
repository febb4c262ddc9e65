using System.Runtime.CompilerServices;

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

    /// <summary>Where the current one-second bucket ends; until then a record is a plain increment.</summary>
    private long _bucketEnd = long.MinValue;
    private int _bucket;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(long now)
    {
        if (now >= _bucketEnd)
        {
            Roll(now);
            _bucket = (int)(_currentSecond % Buckets);
            _bucketEnd = _firstTimestamp + ((_currentSecond + 1) * timestampFrequency);
        }

        _counts[_bucket]++;
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

        // Once the window is full the buckets hold the current second so far and the Buckets − 1
        // whole seconds before it: dividing by Buckets would read a steady rate up to 10% low.
        double elapsed = (double)(now - _firstTimestamp) / timestampFrequency;
        double seconds = elapsed < Buckets ? elapsed : Buckets - 1 + (elapsed % 1);
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
