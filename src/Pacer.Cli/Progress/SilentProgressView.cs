namespace Pacer.Cli.Progress;

/// <summary>No progress at all.</summary>
internal sealed class SilentProgressView(PacerEngine engine, Batch<int> batch) : ProgressView(engine, batch)
{
    public override Task<T> RunUntilAsync<T>(Task<T> work, CancellationToken cancellationToken) => work;
}
