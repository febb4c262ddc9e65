using Microsoft.Extensions.Hosting;

namespace Pacer.Simulator;

/// <summary>A host lifetime that leaves the console alone, so an in-process simulator never reacts to Ctrl+C.</summary>
internal sealed class NullHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
