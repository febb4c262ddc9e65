using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pacer.Server.Runs;

/// <summary>
/// Takes jobs from the store and sends them: claims pending jobs (highest priority first, under a
/// lease it renews), hands each to its lane through <see cref="IRequestFormat.SendAsync"/>, and
/// records each outcome once. A job whose claim was lost (its run or itself cancelled) has its
/// outcome dropped by the store. On a stop, requests in flight are cancelled and their jobs given
/// back, to be sent again by the next start: delivery is at least once.
/// </summary>
internal sealed partial class RunExecutor(
    IBatchJobStore store, OutcomeWriter outcomes, RunTracker runs, IRunCatalog catalog, IRequestFormat format, ServerOptions options, TimeProvider time, ILogger<RunExecutor> log) : BackgroundService
{
    private const int MaxClaim = 500;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _worker = options.WorkerId;
    private int _inFlight;
    private bool _stopping;

    /// <summary>How many jobs are claimed and not yet recorded.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Says there may be work: a run was added, or room freed.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A run whose jobs were being stored at a crash is served, or removed; then the jobs this
        // server held when it stopped or crashed go back, to be sent again.
        catalog.RepairRegistering();
        int back = await store.ReleaseAllAsync(_worker, stoppingToken).ConfigureAwait(false);
        if (back > 0)
        {
            LogResumed(back);
        }

        long lastRenewal = time.GetTimestamp();
        Interlocked.Increment(ref _inFlight); // The loop's own count: the count reaches 0 only once the loop has ended.
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                bool full;
                try
                {
                    if (time.GetElapsedTime(lastRenewal) >= options.Lease / 3)
                    {
                        await store.RenewAllAsync(_worker, options.Lease, stoppingToken).ConfigureAwait(false);
                        lastRenewal = time.GetTimestamp();
                    }

                    // Claims are taken in batches: with jobs in flight, the next claim waits until there is room for a batch.
                    int inFlight = InFlight - 1;
                    int room = Math.Min(options.MaxInFlight - inFlight, MaxClaim);
                    bool worthClaiming = room > 0 && (inFlight == 0 || room >= Math.Min(MaxClaim, options.MaxInFlight / 2));
                    full = worthClaiming && await ClaimAsync(room, stoppingToken).ConfigureAwait(false) == room;
                }
                catch (Exception e) when ((StoreFailure.IsTransient(e) || e is InvalidOperationException) && !stoppingToken.IsCancellationRequested)
                {
                    // A shared store that cannot be reached: asked again after the wait; what is in flight goes on.
                    LogStoreFailed(e);
                    full = false;
                }

                if (!full)
                {
                    // Nothing more to claim, or no room: wait for a new run, for room, or for the next renewal.
                    await WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is the way out.
        }
        finally
        {
            Volatile.Write(ref _stopping, true);
            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                _drained.TrySetResult();
            }
        }

        // Requests in flight were cancelled with the stop; once they have ended, their jobs go back to the store, in one statement.
        await _drained.Task.ConfigureAwait(false);
        try
        {
            await store.ReleaseAllAsync(_worker, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFailure.IsTransient(e))
        {
            // A shared store that cannot be reached now: the jobs come back when their leases run out.
            LogStoreFailed(e);
        }
    }

    /// <summary>
    /// Waits up to a second for a run added here, for room, or (on a shared store) for jobs another
    /// process added or gave back.
    /// </summary>
    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            Task woken = _wake.Reader.WaitToReadAsync(wait.Token).AsTask();
            if (options.Shared)
            {
                await Task.WhenAny(woken, store.WaitForJobsAsync(TimeSpan.FromSeconds(1), time, wait.Token).AsTask()).ConfigureAwait(false);
            }
            else
            {
                await woken.ConfigureAwait(false);
            }

            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The second passed.
        }
        finally
        {
            await wait.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> ClaimAsync(int room, CancellationToken stoppingToken)
    {
        IReadOnlyList<StoredJob> jobs = await store.ClaimAsync(_worker, room, options.Lease, stoppingToken).ConfigureAwait(false);

        // A run whose jobs are still being stored (on a shared store, its jobs can be claimed the
        // moment they are committed) is waited for before any job of the claim starts: the jobs
        // then enter their lanes in the order claimed, and a run's first line is not sent last.
        foreach (string batch in jobs.Select(j => j.Submission.BatchId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            try
            {
                await FindRunAsync(batch, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreFailure.IsTransient(e))
            {
                // Each job looks for its run again.
            }
        }

        foreach (StoredJob job in jobs)
        {
            Interlocked.Increment(ref _inFlight);
            _ = RunJobAsync(job, stoppingToken);
        }

        return jobs.Count;
    }

    private async Task RunJobAsync(StoredJob job, CancellationToken stoppingToken)
    {
        LiveRun? run = null;
        using var request = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            run = await FindRunAsync(job.Submission.BatchId, stoppingToken).ConfigureAwait(false);
            if (run is null || run.IsCancelled)
            {
                // Its run was cancelled or deleted since the claim: the store keeps it cancelled.
                await store.CompleteAsync(job.Id, _worker, StoredJobState.Cancelled, 0, null, "cancelled", CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var activity = new JobActivity(run.Activity(job.Submission.Lane));
            run.Track(job.Sequence, request, activity);
            SemaphoreSlim? gate = run.Gate;
            if (gate is not null)
            {
                await gate.WaitAsync(request.Token).ConfigureAwait(false);
            }

            SentLine sent;
            try
            {
                runs.Started(run);
                sent = await format.SendAsync(run.Run.Index(job.Sequence), job.Submission.Payload, run.Run.Priority, on =>
                {
                    activity.Attempting(on);
                    run.Attempting(on);
                }, request.Token).ConfigureAwait(false);
            }
            finally
            {
                activity.End();
                gate?.Release();
            }

            if (stoppingToken.IsCancellationRequested)
            {
                // Given back with the others once every job in flight has ended (see ExecuteAsync).
                return;
            }

            if (await outcomes.RecordAsync(new StoredOutcome(job.Id, _worker, sent.State, sent.Attempts, sent.ResultJson, sent.Error)).ConfigureAwait(false))
            {
                long index = run.Run.Index(job.Sequence);
                await runs.FinishedAsync(run, index, new RecentCompletion(
                    RecentCompletion.Name(sent.Id, index), job.Submission.Lane, StateName(sent.State), sent.Milliseconds, time.GetUtcNow(), sent.Model, sent.Attempts)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (request.IsCancellationRequested)
        {
            // Cancelled while it waited for its run's cap: by a stop (given back with the others) or a cancel (already final in the store).
        }
#pragma warning disable CA1031 // A store failure: the job is given back, to be sent again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogJobFailed(e, job.Id);
            _ = GiveBackAsync(job, stoppingToken);
        }
        finally
        {
            run?.Untrack(job.Sequence);
            if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _stopping))
            {
                _drained.TrySetResult();
            }

            Wake();
        }
    }

    /// <summary>
    /// Gives back a job that could not be sent or recorded, once the store answers: this server
    /// renews every lease it holds, so a job kept claimed would never be sent. A job whose outcome
    /// was recorded is final, and stays so. At a stop, the jobs still held go back together.
    /// </summary>
    private async Task GiveBackAsync(StoredJob job, CancellationToken stoppingToken)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(50);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.ReleaseAsync(job.Id, _worker, stoppingToken).ConfigureAwait(false);
                Wake();
                return;
            }
            catch (Exception e) when (StoreFailure.IsTransient(e))
            {
                try
                {
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The job's run; while its jobs are still being stored, it waits for the run to be served.</summary>
    private async Task<LiveRun?> FindRunAsync(string? id, CancellationToken stoppingToken)
    {
        while (true)
        {
            Task changed = runs.Changed.Next;
            if (await runs.FindAsync(id).ConfigureAwait(false) is { } run)
            {
                return run;
            }

            if (id is null)
            {
                return null;
            }

            if (!catalog.IsRegistering(id))
            {
                // Served since it was looked for (its jobs were stored meanwhile), or gone.
                return await runs.FindAsync(id).ConfigureAwait(false);
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Looked again each second.
            }
        }
    }

    /// <summary>The API's name of a job state.</summary>
    public static string StateName(StoredJobState state) => state switch
    {
        StoredJobState.Pending => "queued",
        StoredJobState.Claimed => "running",
        StoredJobState.Succeeded => "succeeded",
        StoredJobState.Failed => "failed",
        _ => "cancelled",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} jobs in flight when the server last stopped are sent again.")]
    private partial void LogResumed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store cannot be reached; asked again in a second, while the jobs in flight go on.")]
    private partial void LogStoreFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id} could not be sent or recorded; it is given back to the store, to be sent again.")]
    private partial void LogJobFailed(Exception exception, string id);
}
