namespace Pacer.Server;

/// <summary>Where a server's runs and their jobs live, and what closes them when it stops.</summary>
/// <param name="jobs">The jobs, each run one batch.</param>
/// <param name="runs">The runs.</param>
/// <param name="owned">What the store holds open (connections, pools), disposed with it.</param>
internal sealed class ServerStore(IBatchJobStore jobs, Runs.IRunCatalog runs, params IDisposable[] owned) : IDisposable
{
    public IBatchJobStore Jobs { get; } = jobs;

    public Runs.IRunCatalog Runs { get; } = runs;

    public void Dispose()
    {
        foreach (IDisposable disposable in owned)
        {
            disposable.Dispose();
        }
    }
}
