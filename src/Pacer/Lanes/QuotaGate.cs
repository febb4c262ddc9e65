namespace Pacer;

/// <summary>The state of a lane's <see cref="QuotaOptions"/>: what is spent, and when it refills.</summary>
/// <remarks>Not thread-safe: the engine lock guards it.</remarks>
internal sealed class QuotaGate
{
    private readonly TimeProvider _time;
    private QuotaOptions _options;
    private DateTimeOffset _nextRefill;
    private long _used;

    public QuotaGate(QuotaOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _nextRefill = NextRefillAfter(time.GetUtcNow(), time.GetUtcNow());
    }

    public QuotaOptions Options => _options;

    public long Used => _used;

    public DateTimeOffset NextRefill => _nextRefill;

    public long Units(long cost) => _options.CountsCost ? cost : 1;

    /// <summary>True when <paramref name="cost"/> fits in what is left; refills first if due.</summary>
    public bool CanSpend(long cost)
    {
        RefillIfDue();
        long units = Units(cost);
        // A job bigger than the whole quota may start on a fresh quota, or it would never start.
        return _used + units <= _options.Limit || _used == 0;
    }

    public void Spend(long cost) => _used += Units(cost);

    public void Adjust(long delta)
    {
        if (_options.CountsCost)
        {
            _used = Math.Max(0, _used + delta);
        }
    }

    /// <summary>Time from now until the next refill.</summary>
    public TimeSpan UntilRefill() => _nextRefill - _time.GetUtcNow();

    public void Reconfigure(QuotaOptions options)
    {
        bool scheduleChanged = options.RefillEvery != _options.RefillEvery || options.ResetAtUtc != _options.ResetAtUtc;
        _options = options;
        if (scheduleChanged)
        {
            DateTimeOffset now = _time.GetUtcNow();
            _nextRefill = NextRefillAfter(now, now);
        }
    }

    private void RefillIfDue()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (now < _nextRefill)
        {
            return;
        }

        _used = 0;
        _nextRefill = NextRefillAfter(_nextRefill, now);
    }

    private DateTimeOffset NextRefillAfter(DateTimeOffset previous, DateTimeOffset now)
    {
        if (_options.RefillEvery is { } every)
        {
            if (previous > now)
            {
                return previous;
            }

            long periods = ((now - previous).Ticks / every.Ticks) + 1;
            return previous + TimeSpan.FromTicks(every.Ticks * periods);
        }

        TimeOnly at = _options.ResetAtUtc!.Value;
        DateTimeOffset today = new(now.UtcDateTime.Date + at.ToTimeSpan(), TimeSpan.Zero);
        return today > now ? today : today.AddDays(1);
    }
}
