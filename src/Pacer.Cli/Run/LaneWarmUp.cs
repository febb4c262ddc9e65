using Pacer.Cli.Config;

namespace Pacer.Cli.Run;

/// <summary>
/// Sends the first request of each rate-limited lane (request or token rates) alone: the lane's
/// other requests wait until it has left (its first bytes written to the connection; on an adaptive
/// lane, until its response has begun) or at most <see cref="Cap"/>, then one start interval more,
/// and go in the order they were read.
/// </summary>
/// <remarks>
/// A service counts requests when they arrive. The first one of a run arrives late: its connection
/// is opened (TCP, TLS) and its code path compiled after the start was decided. Paced from its
/// start, the requests one period later arrive on time and a strict limiter sees one too many in
/// that window. Once the first has left, the connection is open and the path compiled; starting
/// the rest an interval after that keeps the first inside the count. It costs the first request's
/// delay in leaving, once per lane; without the signal that it left, one response time.
/// </remarks>
internal sealed class LaneWarmUp(IReadOnlyDictionary<string, LaneConfig> lanes, TimeProvider time, Func<string, Task>? sent = null)
{
    /// <summary>The longest the rest of a lane waits for its first response.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(500);

    /// <summary>By lane: when its requests after the first may go.</summary>
    private readonly Dictionary<string, Task> _warm = [];

    /// <summary>When requests of <paramref name="lane"/> may go: at once, or once its first request has been answered (see the remarks).</summary>
    public Task WhenWarm(string lane) => _warm.GetValueOrDefault(lane, Task.CompletedTask);

    /// <summary>The signal to give when the lane's first request is answered, if this is it; else <see langword="null"/>.</summary>
    /// <remarks>Called by one reader, in input order.</remarks>
    public TaskCompletionSource? BeginIfFirst(string lane)
    {
        LaneOptions limits = lanes[lane].Limits;
        if (_warm.ContainsKey(lane) || (limits.Rates.Count == 0 && limits.CostRates.Count == 0))
        {
            return null;
        }

        var answered = new TaskCompletionSource();
        // An adaptive lane waits for the answer: it tells the service's concurrency cap from its
        // rate by what was in flight, and a refusal of a second request sent while the first is
        // unanswered would read as the cap's.
        Task left = limits.Adaptive is null ? sent?.Invoke(lane) ?? answered.Task : answered.Task;
        _warm[lane] = WarmAsync(answered.Task, left, Interval(limits));
        return answered;
    }

    /// <summary>One interval after the first of the signals; the interval's timer is set as that signal completes.</summary>
    private Task WarmAsync(Task answered, Task left, TimeSpan interval) =>
        Task.WhenAny(answered, left, Task.Delay(Cap, time))
            .ContinueWith(_ => Task.Delay(interval, time), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .Unwrap();

    /// <summary>The longest spacing between starts among the lane's request rates, its margin included (none for a lane with only cost rates).</summary>
    private static TimeSpan Interval(LaneOptions limits) =>
        limits.Rates.Count == 0 ? TimeSpan.Zero : limits.Rates.Max(r => (r.Period + limits.PeriodMargin) / r.Permits);
}
