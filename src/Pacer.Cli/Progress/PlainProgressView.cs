namespace Pacer.Cli.Progress;

/// <summary>A status line a second on stderr, for logs and CI, and one more at the end; and a line when a lane pauses and when it resumes.</summary>
internal sealed class PlainProgressView(ProgressState state, TextWriter error) : ProgressView(state)
{
    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await TickAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false))
        {
            await WriteAsync().ConfigureAwait(false);
        }

        // Where the run ended, before the summary.
        await WriteAsync().ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        EngineSnapshot snapshot = State.Engine.GetSnapshot();
        DateTimeOffset now = State.Time.GetUtcNow();
        foreach (string notice in State.Pauses.TakeNotices(now))
        {
            // A pause is said when it begins and when it ends, beside the status lines.
            await error.WriteLineAsync(notice).ConfigureAwait(false);
        }

        IEnumerable<string> lanes = Lanes(snapshot).Select(l => State.Lane(l, now)).Select(l =>
            $"{l.Name} {l.Active} active, {l.RateNow} of {l.Limit}, {l.Done}, {l.State}");
        await error.WriteLineAsync($"{State.Overall(snapshot)} | {string.Join(" | ", lanes)}").ConfigureAwait(false);
        await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
