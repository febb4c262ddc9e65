using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pacer.Server.Runs;

/// <summary>
/// With a retention set (<c>--retention</c>), deletes each run, with its jobs and results, once it
/// has been finished for longer than the retention: at start, then every tenth of the retention
/// (at least each minute, at most each hour). Without one, runs stay until they are deleted.
/// </summary>
internal sealed partial class RetentionSweeper(
    ServerOptions options, IRunCatalog catalog, IBatchJobStore store, RunTracker tracker, TimeProvider time, ILogger<RetentionSweeper> log) : BackgroundService
{
    private const int Batch = 100;

    /// <summary>Deletes every run finished longer ago than the retention; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (options.Retention is not { } retention)
        {
            return 0;
        }

        int deleted = 0;
        while (true)
        {
            IReadOnlyList<RunRecord> expired = catalog.FinishedBefore(time.GetUtcNow() - retention, Batch);
            foreach (RunRecord run in expired)
            {
                await store.DeleteBatchAsync(run.Id, cancellationToken).ConfigureAwait(false);
                catalog.Delete(run.Id);
                tracker.Remove(run.Id);
                deleted++;
            }

            if (expired.Count < Batch)
            {
                break;
            }
        }

        if (deleted > 0)
        {
            LogSwept(deleted, retention);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Retention is not { } retention)
        {
            return;
        }

        TimeSpan every = TimeSpan.FromTicks(Math.Clamp(retention.Ticks / 10, TimeSpan.TicksPerMinute, TimeSpan.TicksPerHour));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(every, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} runs finished longer ago than the retention ({Retention}) were deleted with their results.")]
    private partial void LogSwept(int count, TimeSpan retention);
}
