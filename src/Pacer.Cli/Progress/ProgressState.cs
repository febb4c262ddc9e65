using System.Globalization;
using Pacer.Cli.Run;

namespace Pacer.Cli.Progress;

/// <summary>What progress views read while a run goes on: the engine's lanes and what each lane's requests came to.</summary>
internal sealed class ProgressState
{
    private readonly PacerEngine engine;
    private readonly TimeProvider time;
    private readonly IReadOnlyDictionary<string, LaneTally> tallies;
    private readonly RecentResults recent;
    private readonly long started;
    private volatile bool _inputComplete;

    public ProgressState(PacerEngine engine, TimeProvider time, IReadOnlyDictionary<string, LaneTally> tallies, RecentResults recent, long started)
    {
        (this.engine, this.time, this.tallies, this.recent, this.started) = (engine, time, tallies, recent, started);
        Pauses.Watch(engine);
    }

    /// <summary>The pauses the service's answers put on the lanes, for the views and the summary.</summary>
    public PauseLog Pauses { get; } = new();

    public PacerEngine Engine => engine;

    public TimeProvider Time => time;

    public IReadOnlyDictionary<string, LaneTally> Tallies => tallies;

    /// <summary>The last results written.</summary>
    public RecentResults Recent => recent;

    public TimeSpan Elapsed => time.GetElapsedTime(started);

    /// <summary>Whether every input line has been read, so that the total is known.</summary>
    public bool InputComplete
    {
        get => _inputComplete;
        set => _inputComplete = value;
    }

    /// <summary>
    /// One lane's line: active of max, rate now against the limit, done (answered or failed; a
    /// cancelled request is not done, and one never sent is not counted at all) of those handed to it,
    /// and its state.
    /// </summary>
    public LaneLine Lane(LaneSnapshot lane, DateTimeOffset now)
    {
        LaneTally tally = tallies[lane.Name];
        long done = tally.Finished;
        long total = Math.Max(tally.Sent, tally.Done);
        return new LaneLine(
            lane.Name,
            lane.MaxConcurrency is { } max ? Invariant($"{lane.Running}/{max}") : Invariant($"{lane.Running}"),
            Rate(lane.Throughput),
            Limit(lane),
            Invariant($"{done}/{total}"),
            State(lane, tally, now),
            total == 0 ? 0 : (double)done / total);
    }

    /// <summary>Requests done (answered or failed), and of how many handed to the lanes so far (all of them once <see cref="InputComplete"/>).</summary>
    public (long Done, long Total) Counts() =>
        (tallies.Values.Sum(t => t.Finished), tallies.Values.Sum(t => Math.Max(t.Sent, t.Done)));

    /// <summary>The overall line: done of total, failures, cancellations, throughput and ETA.</summary>
    public string Overall(EngineSnapshot snapshot)
    {
        (long done, long total) = Counts();
        long failed = tallies.Values.Sum(t => t.Failed);
        long cancelled = tallies.Values.Sum(t => t.Cancelled);
        double throughput = snapshot.Lanes.Where(l => tallies.ContainsKey(l.Name)).Sum(l => l.Throughput);
        double elapsed = Elapsed.TotalSeconds;
        double average = elapsed > 0 ? done / elapsed : 0;
        long left = total - done - cancelled;
        string count = InputComplete ? Invariant($"{total}") : Invariant($"{total}+");
        string eta = !InputComplete ? "ETA after the input is read"
            : left <= 0 ? "nothing left"
            : Math.Max(throughput, average) is > 0 and var rate ? Invariant($"ETA {Math.Max(1, Math.Ceiling(left / rate)):0}s")
            : "ETA unknown";
        string cancelledText = cancelled > 0 ? Invariant($", {cancelled} cancelled") : "";
        return Invariant($"{done}/{count} done, {failed} failed{cancelledText}, {Rate(throughput)} now ({average:0.0}/s average), {elapsed:0}s elapsed, {eta}");
    }

    /// <summary>A lane's request rates and token rates per second, e.g. <c>20/s, 1500 tok/s</c>; <c>-</c> for none. Every view writes rates per second.</summary>
    public static string Limit(LaneSnapshot lane) => lane.Rates.Count + lane.CostRates.Count == 0
        ? "-"
        : string.Join(", ", lane.Rates.Select(r => Rate(r.PerSecondRate))
            .Concat(lane.CostRates.Select(r => Invariant($"{r.PerSecondRate:0.#} tok/s"))));

    /// <summary>A rate per second: <c>19.8/s</c>, <c>0.5/s</c>, <c>1200/s</c>.</summary>
    public static string Rate(double perSecond) => perSecond >= 100 ? Invariant($"{perSecond:0}/s") : Invariant($"{perSecond:0.0}/s");

    /// <summary>What an adaptive lane has learned and is doing: "learned 19.6/s, 4 at once, holding".</summary>
    public static string Learned(LaneSnapshot lane)
    {
        string doing = lane.AdaptivePhase switch
        {
            AdaptivePhase.Recovering => "recovering",
            AdaptivePhase.Holding => "holding",
            AdaptivePhase.Probing => "probing",
            _ => "learning",
        };
        string atOnce = lane.MaxConcurrency is { } max ? Invariant($", {max} at once") : "";
        return lane.AdaptivePhase == AdaptivePhase.Starting
            ? $"learning, {Rate(lane.AdaptiveRate.GetValueOrDefault())}{atOnce}"
            : $"learned {Rate(lane.AdaptiveRate.GetValueOrDefault())}{atOnce}, {doing}";
    }

    private static string State(LaneSnapshot lane, LaneTally tally, DateTimeOffset now)
    {
        var parts = new List<string>();
        if (tally.Cancelled > 0)
        {
            parts.Add(Invariant($"{tally.Cancelled} cancelled"));
        }

        if (lane.Circuit == CircuitState.Open)
        {
            parts.Add("breaker open");
        }
        else if (lane.Circuit == CircuitState.HalfOpen)
        {
            parts.Add("breaker half-open");
        }

        if (lane.SharedStateProblem is { } problem)
        {
            // A lane that runs on at its share alone (stateDown) is not waiting; its message says so.
            parts.Add(problem.Contains("runs alone", StringComparison.Ordinal) ? problem : "waiting: " + problem);
        }

        if (lane.Pause is { } pause && pause.Until > now)
        {
            // How long is left, and why: "paused 42s (Retry-After 1m)", "… capped at 1h" when the service asked for more.
            parts.Add(Invariant($"paused {PauseLog.Shown(pause.Until - now)} ({pause.Description})"));
        }

        if (lane.AdaptiveRate is not null)
        {
            parts.Add(Learned(lane));
        }

        if (lane.WaitingToRetry > 0)
        {
            parts.Add(Invariant($"{lane.WaitingToRetry} to retry"));
        }

        if (lane.Queued > 0)
        {
            parts.Add(Invariant($"{lane.Queued} queued"));
        }

        if (parts.Count == 0)
        {
            parts.Add(lane.Running > 0 ? "running" : "idle");
        }

        return string.Join(", ", parts);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One lane's progress, as text columns.</summary>
internal sealed record LaneLine(string Name, string Active, string RateNow, string Limit, string Done, string State, double DoneFraction);
