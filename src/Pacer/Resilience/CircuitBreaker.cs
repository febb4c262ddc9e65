namespace Pacer;

/// <summary>
/// The state machine of one lane's circuit (see <see cref="CircuitBreakerOptions"/>). The ratio
/// rule counts attempts in ten buckets over the sampling window. Not thread-safe: the engine lock
/// guards it.
/// </summary>
internal sealed class CircuitBreaker
{
    private const int Buckets = 10;

    private readonly long[] _attempts = new long[Buckets];
    private readonly long[] _failures = new long[Buckets];
    private CircuitBreakerOptions _options;
    private long _bucketTicks;
    private long _currentBucket = long.MinValue;
    private int _consecutive;
    private long _breakTicks;
    private bool _probeRunning;

    public CircuitBreaker(CircuitBreakerOptions options, long timestampFrequency)
    {
        _options = options;
        Configure(options, timestampFrequency);
    }

    public CircuitState State { get; private set; }

    /// <summary>While open: when the probe may start.</summary>
    public long OpenUntil { get; private set; } = long.MinValue;

    public bool FailFastWhenOpen => _options.FailFastWhenOpen;

    public void Reconfigure(CircuitBreakerOptions options, long timestampFrequency) => Configure(options, timestampFrequency);

    /// <summary>
    /// Whether a job may start now. Moves an open circuit whose break ended to half-open, where
    /// exactly one probe may start; <paramref name="wakeAt"/> is set when waiting ends at a known time.
    /// </summary>
    public bool AllowsStart(long now, out long wakeAt)
    {
        wakeAt = long.MaxValue;
        switch (State)
        {
            case CircuitState.Closed:
                return true;
            case CircuitState.Open when now < OpenUntil:
                wakeAt = OpenUntil;
                return false;
            case CircuitState.Open:
                State = CircuitState.HalfOpen;
                _probeRunning = false;
                return true;
            default:
                return !_probeRunning;
        }
    }

    /// <summary>A job started: in half-open it is the probe.</summary>
    public void OnStarted()
    {
        if (State == CircuitState.HalfOpen)
        {
            _probeRunning = true;
        }
    }

    /// <summary>Records an attempt's outcome.</summary>
    /// <returns>The state before, when the state changed; otherwise null.</returns>
    public CircuitState? OnOutcome(bool failed, long now)
    {
        CircuitState before = State;
        if (State == CircuitState.HalfOpen)
        {
            _probeRunning = false;
            if (failed)
            {
                Open(now);
            }
            else
            {
                Close();
            }

            return before;
        }

        if (State == CircuitState.Open)
        {
            return null; // attempts started before the circuit opened still end
        }

        Roll(now);
        int bucket = (int)(_currentBucket % Buckets);
        _attempts[bucket]++;
        if (!failed)
        {
            _consecutive = 0;
            return null;
        }

        _failures[bucket]++;
        _consecutive++;
        if ((_options.ConsecutiveFailures > 0 && _consecutive >= _options.ConsecutiveFailures) || RatioExceeded())
        {
            Open(now);
            return before;
        }

        return null;
    }

    private bool RatioExceeded()
    {
        if (_options.FailureRatio is not { } ratio)
        {
            return false;
        }

        long attempts = _attempts.Sum();
        return attempts >= _options.MinimumAttempts && _failures.Sum() >= ratio * attempts;
    }

    private void Open(long now)
    {
        State = CircuitState.Open;
        OpenUntil = now + _breakTicks;
    }

    private void Close()
    {
        State = CircuitState.Closed;
        _consecutive = 0;
        Array.Clear(_attempts);
        Array.Clear(_failures);
    }

    private void Roll(long now)
    {
        long bucket = now / _bucketTicks;
        if (_currentBucket == long.MinValue || bucket - _currentBucket >= Buckets)
        {
            Array.Clear(_attempts);
            Array.Clear(_failures);
        }
        else
        {
            for (long b = _currentBucket + 1; b <= bucket; b++)
            {
                _attempts[(int)(b % Buckets)] = 0;
                _failures[(int)(b % Buckets)] = 0;
            }
        }

        _currentBucket = Math.Max(_currentBucket, bucket);
    }

    private void Configure(CircuitBreakerOptions options, long timestampFrequency)
    {
        _options = options;
        _bucketTicks = Math.Max(1, ToTimestampTicksRoundedUp(options.SamplingWindow, timestampFrequency) / Buckets);
        _breakTicks = ToTimestampTicksRoundedUp(options.BreakDuration, timestampFrequency);
    }

    /// <summary>
    /// In integers, rounded up: through seconds as a double, 75.44 ms comes out as 0.0754399… s,
    /// and a break a tick short lets the probe start a tick before the break ends.
    /// </summary>
    private static long ToTimestampTicksRoundedUp(TimeSpan span, long timestampFrequency) =>
        (long)((((Int128)span.Ticks * timestampFrequency) + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
}
