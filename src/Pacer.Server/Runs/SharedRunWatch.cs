using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pacer.Server.Runs;

/// <summary>
/// On a shared store (PostgreSQL), every second: takes the runs this server shows to where the
/// store has them, since other servers and <c>pacer worker</c>s end their jobs too, and may cancel
/// them (<see cref="RunTracker.RecountAsync"/>).
/// </summary>
internal sealed partial class SharedRunWatch(RunTracker tracker, TimeProvider time, ILogger<SharedRunWatch> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await tracker.RecountAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (StoreFailure.IsTransient(e) && !stoppingToken.IsCancellationRequested)
                {
                    LogStoreFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store cannot be reached to count the runs' jobs; asked again in a second.")]
    private partial void LogStoreFailed(Exception exception);
}
