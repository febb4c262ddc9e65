using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pacer.Server.Runs;

/// <summary>
/// Writes outcomes to the store in batches: each waits in a queue, and the writer records all that
/// are waiting in one transaction (one commit, one sync to disk), so that the store keeps up with
/// thousands of jobs a second. <see cref="RecordAsync"/> completes once its outcome is committed.
/// </summary>
internal sealed partial class OutcomeWriter(IBatchJobStore store, TimeProvider time, ILogger<OutcomeWriter> log) : BackgroundService
{
    private const int MaxBatch = 2000;

    private readonly Channel<(StoredOutcome Outcome, TaskCompletionSource<bool> Recorded)> _queue =
        Channel.CreateUnbounded<(StoredOutcome, TaskCompletionSource<bool>)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues an outcome; true once it is recorded, false when the lease was lost (the outcome is dropped).</summary>
    public Task<bool> RecordAsync(StoredOutcome outcome)
    {
        var recorded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((outcome, recorded)))
        {
            recorded.SetException(new InvalidOperationException("The server is stopping; the job is given back and sent again."));
        }

        return recorded.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(StoredOutcome Outcome, TaskCompletionSource<bool> Recorded)>(MaxBatch);

        // Outcomes queued before the stop are still written: the loop ends when the queue is completed and empty.
        using CancellationTokenRegistration stopping = stoppingToken.Register(() => _queue.Writer.TryComplete());
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    /// <summary>
    /// Writes a batch. A shared store that cannot be reached is asked again (50 ms, doubling to
    /// 2 s) until it answers, the jobs' leases renewed meanwhile; at a stop, or on any other
    /// failure, the batch's outcomes fail, and their jobs are sent again.
    /// </summary>
    private async Task WriteAsync(List<(StoredOutcome Outcome, TaskCompletionSource<bool> Recorded)> batch, CancellationToken stoppingToken)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                IReadOnlyList<bool> recorded = await store.CompleteManyAsync([.. batch.Select(b => b.Outcome)], CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Recorded.TrySetResult(recorded[i]);
                }

                return;
            }
            catch (Exception e) when (StoreFailure.IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                if (backoff == TimeSpan.FromMilliseconds(50))
                {
                    LogWriteRetried(e, batch.Count);
                }

                try
                {
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: one more try.
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
#pragma warning disable CA1031 // A failed write fails each outcome of the batch; their jobs are given back and sent again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWriteFailed(e, batch.Count);
                foreach ((_, TaskCompletionSource<bool> recorded) in batch)
                {
                    recorded.TrySetException(e);
                }

                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} outcomes cannot be written now: the store is asked again until it answers.")]
    private partial void LogWriteRetried(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} outcomes could not be written; their jobs are sent again.")]
    private partial void LogWriteFailed(Exception exception, int count);
}
