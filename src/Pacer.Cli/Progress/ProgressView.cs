using Spectre.Console;

namespace Pacer.Cli.Progress;

/// <summary>Shows an engine's progress on stderr while a task runs; stdout stays free for results.</summary>
internal abstract class ProgressView
{
    protected ProgressView(PacerEngine engine, Batch<int> batch)
    {
        Engine = engine;
        Batch = batch;
    }

    protected PacerEngine Engine { get; }

    protected Batch<int> Batch { get; }

    /// <summary>Picks the view: <c>auto</c> is live on a terminal and plain otherwise.</summary>
    public static ProgressView Create(string mode, PacerEngine engine, Batch<int> batch) => mode switch
    {
        "none" => new SilentProgressView(engine, batch),
        "plain" => new PlainProgressView(engine, batch),
        "live" => new LiveProgressView(engine, batch),
        _ when Console.IsErrorRedirected => new PlainProgressView(engine, batch),
        _ => new LiveProgressView(engine, batch),
    };

    /// <summary>Refreshes the view until <paramref name="work"/> completes, then returns its result.</summary>
    public abstract Task<T> RunUntilAsync<T>(Task<T> work, CancellationToken cancellationToken);

    /// <summary>One table row per lane with work, plus an overall line.</summary>
    protected static Table BuildTable(EngineSnapshot snapshot, BatchSnapshot batch)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]pacer[/]");
        table.AddColumns("lane", "active", "rate now", "limit", "done", "retries", "state");
        foreach (LaneSnapshot lane in snapshot.Lanes.Where(l => l.Succeeded + l.Failed + l.Cancelled + l.Queued + l.Running + l.WaitingToRetry > 0))
        {
            long done = lane.Succeeded + lane.Failed + lane.Cancelled;
            long total = done + lane.Queued + lane.Running + lane.WaitingToRetry;
            table.AddRow(
                Markup.Escape(lane.Name),
                lane.MaxConcurrency is { } max ? $"{lane.Running}/{max}" : $"{lane.Running}",
                $"{lane.Throughput:0.0}/s",
                lane.Rates.Count > 0 ? Markup.Escape(string.Join(", ", lane.Rates.Select(Format))) : "-",
                $"{done}/{total} ({(total == 0 ? 0 : 100.0 * done / total):0}%)",
                $"{lane.Retries}",
                lane.WaitingToRetry > 0 ? $"{lane.WaitingToRetry} waiting to retry" : lane.Queued > 0 ? "queued" : lane.Running > 0 ? "running" : "idle");
        }

        table.Caption(Markup.Escape(Overall(batch)));
        return table;
    }

    protected static string Overall(BatchSnapshot batch)
    {
        string eta = batch.Eta is { } e ? $"ETA {e.TotalSeconds:0.0}s" : "ETA unknown";
        return $"{batch.Succeeded + batch.Failed + batch.Cancelled}/{batch.Total} done ({batch.Fraction:P0}), {batch.Failed} failed, {batch.Throughput:0.0} jobs/s, {eta}";
    }

    private static string Format(RateLimit rate) => rate.Period == TimeSpan.FromSeconds(1)
        ? $"{rate.Permits}/s"
        : rate.Period == TimeSpan.FromMinutes(1) ? $"{rate.Permits}/min" : $"{rate.Permits}/{rate.Period}";
}
