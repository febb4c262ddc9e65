namespace Pacer.Cli.Progress;

/// <summary>A status line a second on stderr, for logs and CI.</summary>
internal sealed class PlainProgressView(PacerEngine engine, Batch<int> batch) : ProgressView(engine, batch)
{
    public override async Task<T> RunUntilAsync<T>(Task<T> work, CancellationToken cancellationToken)
    {
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(1), Engine.TimeProvider, cancellationToken)).ConfigureAwait(false);
            EngineSnapshot snapshot = Engine.GetSnapshot();
            string lanes = string.Join("  ", snapshot.Lanes
                .Where(l => l.Succeeded + l.Failed + l.Queued + l.Running + l.WaitingToRetry > 0)
                .Select(l => $"{l.Name} {l.Running}/{l.MaxConcurrency?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {l.Throughput:0.0}/s"));
            await Console.Error.WriteLineAsync($"{Overall(Batch.GetSnapshot())} | {lanes}").ConfigureAwait(false);
        }

        return await work.ConfigureAwait(false);
    }
}
