namespace Pacer.Cli.Progress;

/// <summary>A status line a second on stderr, for logs and CI.</summary>
internal sealed class PlainProgressView(ProgressState state, TextWriter error) : ProgressView(state)
{
    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await TickAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false))
        {
            EngineSnapshot snapshot = State.Engine.GetSnapshot();
            DateTimeOffset now = State.Time.GetUtcNow();
            IEnumerable<string> lanes = Lanes(snapshot).Select(l => State.Lane(l, now)).Select(l =>
                $"{l.Name} {l.Active} active, {l.RateNow} of {l.Limit}, {l.Done}, {l.State}");
            await error.WriteLineAsync($"{State.Overall(snapshot)} | {string.Join(" | ", lanes)}").ConfigureAwait(false);
            await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
