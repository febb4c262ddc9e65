using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pacer.Server.Runs;

/// <summary>
/// Writes outcomes to the store in batches: each waits in a queue, and the writer records all that
/// are waiting in one transaction (one commit, one sync to disk), so that the store keeps up with
/// thousands of jobs a second. <see cref="RecordAsync"/> completes once its outcome is committed.
/// </summary>
internal sealed partial class OutcomeWriter(IBatchJobStore store, ILogger<OutcomeWriter> log) : BackgroundService
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

            try
            {
                IReadOnlyList<bool> recorded = await store.CompleteManyAsync([.. batch.Select(b => b.Outcome)], CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Recorded.TrySetResult(recorded[i]);
                }
            }
#pragma warning disable CA1031 // A failed write fails each outcome of the batch; their jobs are sent again when their leases run out.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWriteFailed(e, batch.Count);
                foreach ((_, TaskCompletionSource<bool> recorded) in batch)
                {
                    recorded.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} outcomes could not be written; their jobs are sent again when their leases run out.")]
    private partial void LogWriteFailed(Exception exception, int count);
}
