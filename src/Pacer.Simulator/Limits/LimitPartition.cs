using System.Diagnostics;

namespace Pacer.Simulator;

/// <summary>
/// The counters of one API key on one route: windows of requests per second and per minute,
/// tokens per minute, and requests in flight. The limits themselves are passed in on each call, so
/// replacing them at run time keeps what was already counted.
/// </summary>
internal sealed class LimitPartition
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_minute = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly WindowCounter _requestsPerSecond;
    private readonly WindowCounter _requestsPerMinute;
    private readonly WindowCounter _tokensPerMinute;

    /// <param name="fixedWindows">Count in fixed windows (GitHub-style APIs) rather than sliding ones (token-bucket providers).</param>
    /// <param name="sinceEpoch">Unix time at clock time zero, where fixed windows are placed.</param>
    public LimitPartition(bool fixedWindows, TimeSpan sinceEpoch)
    {
        _requestsPerSecond = Counter(s_second);
        _requestsPerMinute = Counter(s_minute);
        _tokensPerMinute = Counter(s_minute);

        WindowCounter Counter(TimeSpan window) =>
            fixedWindows ? new FixedWindowCounter(window, sinceEpoch) : new SlidingWindowCounter(window);
    }

    /// <summary>Accepted requests not yet released; kept even without a concurrency limit, so one set later applies at once.</summary>
    private int _inFlight;

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>
    /// Accepts the request if every limit that is set has room, and then counts it in each;
    /// otherwise counts nothing. Never waits. Time is read under the lock so that entries enter
    /// each window in order.
    /// </summary>
    public LimitDecision AttemptAcquire(LimitOptions limits, long tokens, SimulatorClock clock)
    {
        lock (_lock)
        {
            TimeSpan now = clock.Now;
            var reason = LimitReason.None;
            var wait = TimeSpan.Zero;
            if (limits.MaxConcurrency is int concurrency && _inFlight >= concurrency)
            {
                reason = LimitReason.Concurrency;
                wait = LimitConstants.ConcurrencyRetryAfter;
            }
            else
            {
                // Windows only empty with time, so the request fits once the longest wait is over.
                Consider(_requestsPerSecond, limits.RequestsPerSecond, 1, LimitReason.RequestsPerSecond, now, ref reason, ref wait);
                Consider(_requestsPerMinute, limits.RequestsPerMinute, 1, LimitReason.RequestsPerMinute, now, ref reason, ref wait);
                Consider(_tokensPerMinute, limits.TokensPerMinute, tokens, LimitReason.TokensPerMinute, now, ref reason, ref wait);
            }

            bool accepted = reason == LimitReason.None;
            if (accepted)
            {
                // Windows whose limit is unset record nothing, which keeps memory small for unlimited routes.
                if (limits.RequestsPerSecond is not null)
                {
                    _requestsPerSecond.Add(1, now);
                }

                if (limits.RequestsPerMinute is not null || limits.RequestsPerSecond is not null)
                {
                    // Also kept under a per-second limit alone: token-bucket dialects state it per minute.
                    _requestsPerMinute.Add(1, now);
                }

                if (limits.TokensPerMinute is not null)
                {
                    _tokensPerMinute.Add(tokens, now);
                }

                _inFlight++;
            }

            return new LimitDecision(
                limits,
                now,
                reason,
                wait,
                tokens,
                ReportedRequestsUnsynchronized(limits, now),
                RequestsPerMinuteUnsynchronized(limits, now),
                limits.TokensPerMinute is int tpm ? StateUnsynchronized(_tokensPerMinute, tpm, now) : null,
                accepted ? this : null);
        }
    }

    /// <summary>Frees one concurrency slot.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            Debug.Assert(_inFlight >= 0, "A slot was released twice.");
        }
    }

    /// <summary>Forgets the requests and tokens counted in every window; requests in flight stay.</summary>
    public void ClearWindows()
    {
        lock (_lock)
        {
            _requestsPerSecond.Clear();
            _requestsPerMinute.Clear();
            _tokensPerMinute.Clear();
        }
    }

    private static void Consider(WindowCounter counter, int? limit, long cost, LimitReason reasonIfOver, TimeSpan now, ref LimitReason reason, ref TimeSpan wait)
    {
        if (limit is not int value || reason == LimitReason.RequestTooLarge)
        {
            return;
        }

        TimeSpan? needed = counter.WaitFor(value, cost, now);
        if (needed is null)
        {
            reason = LimitReason.RequestTooLarge;
            wait = TimeSpan.Zero;
        }
        else if (needed.Value > wait)
        {
            reason = reasonIfOver;
            wait = needed.Value;
        }
    }

    private WindowState? ReportedRequestsUnsynchronized(LimitOptions limits, TimeSpan now) =>
        limits.RequestsPerMinute is int rpm ? StateUnsynchronized(_requestsPerMinute, rpm, now)
        : limits.RequestsPerSecond is int rps ? StateUnsynchronized(_requestsPerSecond, rps, now)
        : null;

    /// <summary>The per-minute limit, else 60 × the per-second one, counted over the last minute.</summary>
    private WindowState? RequestsPerMinuteUnsynchronized(LimitOptions limits, TimeSpan now) =>
        limits.RequestsPerMinute is int rpm ? StateUnsynchronized(_requestsPerMinute, rpm, now)
        : limits.RequestsPerSecond is int rps ? StateUnsynchronized(_requestsPerMinute, rps * 60L, now)
        : null;

    private static WindowState StateUnsynchronized(WindowCounter counter, long limit, TimeSpan now) =>
        new(limit, counter.Used(now), counter.UntilEmpty(now));
}
