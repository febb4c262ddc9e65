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

    /// <summary>One lane's line: active of max, rate now against the limit, done of sent, and its state.</summary>
    public LaneLine Lane(LaneSnapshot lane, DateTimeOffset now)
    {
        LaneTally tally = tallies[lane.Name];
        long done = tally.Done;
        long total = Math.Max(tally.Sent, done);
        return new LaneLine(
            lane.Name,
            lane.MaxConcurrency is { } max ? Invariant($"{lane.Running}/{max}") : Invariant($"{lane.Running}"),
            Invariant($"{lane.Throughput * 60:0}/min"),
            Limit(lane),
            Invariant($"{done}/{total} ({(total == 0 ? 0 : 100.0 * done / total):0}%)"),
            State(lane, now),
            total == 0 ? 0 : (double)done / total);
    }

    /// <summary>Requests done, and of how many handed to the lanes so far (all of them once <see cref="InputComplete"/>).</summary>
    public (long Done, long Total) Counts() =>
        (tallies.Values.Sum(t => t.Done), tallies.Values.Sum(t => Math.Max(t.Sent, t.Done)));

    /// <summary>The overall line: done of total, failures, throughput and ETA.</summary>
    public string Overall(EngineSnapshot snapshot)
    {
        (long done, long sent) = Counts();
        long failed = tallies.Values.Sum(t => t.Failed);
        double throughput = snapshot.Lanes.Where(l => tallies.ContainsKey(l.Name)).Sum(l => l.Throughput);
        double elapsed = Elapsed.TotalSeconds;
        double average = elapsed > 0 ? done / elapsed : 0;
        string total = InputComplete ? Invariant($"{sent}") : Invariant($"{sent}+");
        string eta = !InputComplete ? "ETA after the input is read"
            : done >= sent ? "ETA 0s"
            : Math.Max(throughput, average) is > 0 and var rate ? Invariant($"ETA {(sent - done) / rate:0}s")
            : "ETA unknown";
        return Invariant($"{done}/{total} done, {failed} failed, {throughput * 60:0}/min now ({average:0.0}/s average), {Elapsed.TotalSeconds:0}s elapsed, {eta}");
    }

    /// <summary>A lane's request rates as requests per minute and its token rates as tokens per minute, e.g. <c>2400/min, 90000 tok/min</c>; <c>-</c> for none.</summary>
    public static string Limit(LaneSnapshot lane) => lane.Rates.Count + lane.CostRates.Count == 0
        ? "-"
        : string.Join(", ", lane.Rates.Select(r => Invariant($"{r.PerSecondRate * 60:0}/min"))
            .Concat(lane.CostRates.Select(r => Invariant($"{r.PerSecondRate * 60:0} tok/min"))));

    private static string State(LaneSnapshot lane, DateTimeOffset now)
    {
        var parts = new List<string>();
        if (lane.Circuit == CircuitState.Open)
        {
            parts.Add("breaker open");
        }
        else if (lane.Circuit == CircuitState.HalfOpen)
        {
            parts.Add("breaker half-open");
        }

        if (lane.Pause is { } pause && pause.Until > now)
        {
            // How long is left, and why: "paused 42s (Retry-After 1m)", "… capped at 1h" when the service asked for more.
            parts.Add(Invariant($"paused {PauseLog.Shown(pause.Until - now)} ({pause.Description})"));
        }

        if (lane.AdaptiveRate is { } adaptive)
        {
            parts.Add(Invariant($"adaptive {adaptive * 60:0}/min"));
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
