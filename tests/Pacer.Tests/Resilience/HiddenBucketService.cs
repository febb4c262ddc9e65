using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Resilience;

/// <summary>
/// A model of a service with a hidden token bucket: a call that finds a token succeeds, any other
/// is answered 429. Answers arrive after a fixed latency; <see cref="Deliver"/> completes the due
/// ones on the calling thread, so a test drives the whole run deterministically on fake time.
/// </summary>
internal sealed class HiddenBucketService(FakeTimeProvider time, double rate, double burst, TimeSpan latency)
{
    private readonly PriorityQueue<(TaskCompletionSource<bool> Answer, bool Ok), DateTimeOffset> _pending = new();
    private readonly List<DateTimeOffset> _successes = [];
    private readonly double _burst = burst;
    private double _tokens = burst;
    private DateTimeOffset _last = time.GetUtcNow();

    private int _admittedInFlight;

    public double Rate { get; set; } = rate;

    /// <summary>How many admitted calls may be in flight at once; another is refused, as nginx's limit_conn does.</summary>
    public int MaxConcurrent { get; set; } = int.MaxValue;

    /// <summary>How long a refusal takes to answer; null: as long as an admitted call (the latency).</summary>
    public TimeSpan? RefusalLatency { get; set; }

    public int Refused { get; private set; }

    public int Calls { get; private set; }

    public int Pending => _pending.Count;

    public DateTimeOffset Now => time.GetUtcNow();

    public Task<bool> CallAsync()
    {
        DateTimeOffset now = time.GetUtcNow();
        _tokens = Math.Min(_burst, _tokens + ((now - _last).TotalSeconds * Rate));
        _last = now;
        bool ok = _tokens >= 1 && _admittedInFlight < MaxConcurrent;
        if (ok)
        {
            _tokens -= 1;
            _admittedInFlight++;
        }
        else
        {
            Refused++;
        }

        Calls++;
        var answer = new TaskCompletionSource<bool>();
        _pending.Enqueue((answer, ok), now + (ok ? latency : RefusalLatency ?? latency));
        return answer.Task;
    }

    /// <summary>Completes every answer due by now, recording successes at their answer time.</summary>
    public void Deliver()
    {
        DateTimeOffset now = time.GetUtcNow();
        while (_pending.TryPeek(out var call, out DateTimeOffset due) && due <= now)
        {
            _pending.Dequeue();
            if (call.Ok)
            {
                _successes.Add(due);
                _admittedInFlight--;
            }

            call.Answer.SetResult(call.Ok);
        }
    }

    public int SuccessesBetween(DateTimeOffset from, DateTimeOffset to) => _successes.Count(t => t >= from && t < to);
}
