namespace Pacer.Cli.Progress;

/// <summary>Shows a run's progress on stderr until cancelled; stdout stays free for results.</summary>
internal abstract class ProgressView(ProgressState state)
{
    protected ProgressState State => state;

    /// <summary>Picks the view: <c>auto</c> is live on a terminal's stderr and plain otherwise.</summary>
    public static ProgressView Create(string mode, TextWriter error, ProgressState state) => mode switch
    {
        "none" => new SilentProgressView(state),
        "plain" => new PlainProgressView(state, error),
        "live" => new LiveProgressView(state, error),
        _ when ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected => new LiveProgressView(state, error),
        _ => new PlainProgressView(state, error),
    };

    /// <summary>Shows progress until <paramref name="cancellationToken"/> is cancelled; then returns without throwing.</summary>
    public abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>The lanes of the run, as the engine sees them now, in the run's order (the summary's).</summary>
    protected IEnumerable<LaneSnapshot> Lanes(EngineSnapshot snapshot)
    {
        var byName = snapshot.Lanes.ToDictionary(l => l.Name, StringComparer.Ordinal);
        return State.Tallies.Keys.Where(byName.ContainsKey).Select(name => byName[name]);
    }

    /// <summary>Waits <paramref name="delay"/>; false once cancelled.</summary>
    protected async Task<bool> TickAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, State.Time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
