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

    public double Rate { get; set; } = rate;

    public int Refused { get; private set; }

    public int Calls { get; private set; }

    public int Pending => _pending.Count;

    public DateTimeOffset Now => time.GetUtcNow();

    public Task<bool> CallAsync()
    {
        DateTimeOffset now = time.GetUtcNow();
        _tokens = Math.Min(_burst, _tokens + ((now - _last).TotalSeconds * Rate));
        _last = now;
        bool ok = _tokens >= 1;
        if (ok)
        {
            _tokens -= 1;
        }
        else
        {
            Refused++;
        }

        Calls++;
        var answer = new TaskCompletionSource<bool>();
        _pending.Enqueue((answer, ok), now + latency);
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
            }

            call.Answer.SetResult(call.Ok);
        }
    }

    public int SuccessesBetween(DateTimeOffset from, DateTimeOffset to) => _successes.Count(t => t >= from && t < to);
}
