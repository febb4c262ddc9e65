namespace Pacer.Cli.Progress;

/// <summary>No progress at all.</summary>
internal sealed class SilentProgressView(ProgressState state) : ProgressView(state)
{
    public override Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
