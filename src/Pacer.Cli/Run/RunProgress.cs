using System.Globalization;

namespace Pacer.Cli.Run;

/// <summary>Progress of a run on stderr: a status line a second (plain), or one line redrawn in place (live).</summary>
internal sealed class RunProgress(string mode, TextWriter error, TimeProvider time, PacerEngine engine, IReadOnlyDictionary<string, LaneTally> tallies)
{
    /// <summary>Shows progress until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        bool live = mode == "live" || (mode == "auto" && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);
        if (mode == "none")
        {
            return;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
                string status = Status();
                await error.WriteAsync(live ? $"\r{status}\u001b[K" : status + Environment.NewLine).ConfigureAwait(false);
                await error.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            if (live)
            {
                await error.WriteLineAsync().ConfigureAwait(false);
            }
        }
    }

    private string Status()
    {
        var parts = new List<string>();
        foreach ((string name, LaneTally tally) in tallies)
        {
            LaneSnapshot lane = engine.GetLaneSnapshot(name);
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {tally.Succeeded} ok, {tally.Failed} failed, {tally.Cancelled} cancelled, {lane.Running} running, {lane.Queued} queued, {lane.WaitingToRetry} waiting to retry, {tally.Retries} retries, {lane.Throughput:0.0}/s"));
        }

        return string.Join(" | ", parts);
    }
}
