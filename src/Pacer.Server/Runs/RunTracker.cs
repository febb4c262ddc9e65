using Pacer.Server.Events;

namespace Pacer.Server.Runs;

/// <summary>
/// The runs the server serves, in memory (<see cref="LiveRun"/>), each loaded from the store the
/// first time it is asked for: after a restart, a run goes on where its jobs stand. Every change
/// is published to the <see cref="EventFeed"/>: a <c>run</c> event when a run is added, starts,
/// ends, is cancelled or deleted, and a <c>job</c> event when a job ends (one this server sent).
/// On a shared store, other processes end jobs too: a run ends when the store counts none left
/// (<see cref="RecountAsync"/>), and a run cancelled elsewhere is cancelled here.
/// </summary>
internal sealed class RunTracker(IRunCatalog catalog, IBatchJobStore store, EventFeed feed, ServerOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LiveRun> _runs = new(StringComparer.Ordinal);

    /// <summary>Fired when any run changes: a job ended, a run started, finished or was cancelled.</summary>
    public Pulse Changed { get; } = new();

    /// <summary>A run just stored: all its jobs are to do, less those already final (lines that cannot be jobs are not).</summary>
    public LiveRun Add(RunRecord run)
    {
        var live = new LiveRun(run, run.Jobs);
        lock (_lock)
        {
            _runs[run.Id] = live;
        }

        feed.Publish("run", new { id = run.Id, name = run.Name, status = RunStatus.Queued, jobs = run.Jobs });
        Changed.Fire();
        return live;
    }

    /// <summary>The run, loaded from the store when it is not in memory; null when there is none.</summary>
    public async ValueTask<LiveRun?> FindAsync(string? id)
    {
        if (id is null)
        {
            return null;
        }

        lock (_lock)
        {
            if (_runs.TryGetValue(id, out LiveRun? live))
            {
                return live;
            }
        }

        if (catalog.Get(id) is not { } run)
        {
            return null;
        }

        JobCounts counts = JobCounts.Of(await store.CountBatchAsync(id).ConfigureAwait(false));
        LiveRun found;
        lock (_lock)
        {
            if (!_runs.TryGetValue(id, out LiveRun? live))
            {
                live = new LiveRun(run, counts.Remaining);
                _runs[id] = live;
            }

            found = live;
        }

        if (counts.Remaining == 0 && !found.IsCancelled)
        {
            // Its jobs all ended while no server watched it (a crash before its end was marked, or workers elsewhere).
            End(found, counts);
        }

        return found;
    }

    /// <summary>
    /// On a shared store: takes each run in memory that has not ended to where the store has it.
    /// Its count of jobs left is the store's (jobs end in other processes too), it ends when none
    /// is left, and a run cancelled elsewhere has its requests here cancelled.
    /// </summary>
    public async ValueTask RecountAsync(CancellationToken cancellationToken)
    {
        foreach (LiveRun run in Active())
        {
            if (catalog.Get(run.Run.Id) is not { } stored)
            {
                Remove(run.Run.Id);
                continue;
            }

            if (stored.Cancelled && !run.IsCancelled)
            {
                run.Run = run.Run with { Cancelled = true, FinishedAt = stored.FinishedAt };
                run.CancelAllInFlight();
                feed.Publish("run", new { id = run.Run.Id, status = RunStatus.Cancelled, finishedAt = stored.FinishedAt });
                run.Changed.Fire();
                Changed.Fire();
                continue;
            }

            JobCounts counts = JobCounts.Of(await store.CountBatchAsync(run.Run.Id, cancellationToken).ConfigureAwait(false));
            if (counts.Remaining == 0)
            {
                End(run, counts);
            }
            else if (counts.Remaining != run.Remaining)
            {
                if (stored.StartedAt is not null)
                {
                    run.Start();
                    run.Run = run.Run with { StartedAt = run.Run.StartedAt ?? stored.StartedAt };
                }

                run.Recount(counts.Remaining);
                Changed.Fire();
            }
        }
    }

    /// <summary>The runs in memory that have not ended: those whose progress the <c>progress</c> event shows.</summary>
    public IReadOnlyList<LiveRun> Active()
    {
        lock (_lock)
        {
            return [.. _runs.Values.Where(r => r.Remaining > 0 && !r.IsCancelled && r.Run.FinishedAt is null)];
        }
    }

    /// <summary>Notes that one of the run's jobs started: the first marks the run started.</summary>
    public void Started(LiveRun run)
    {
        if (run.Start())
        {
            DateTimeOffset now = time.GetUtcNow();
            try
            {
                catalog.MarkStarted(run.Run.Id, now);
            }
            catch (Exception e) when (StoreFailure.IsTransient(e))
            {
                // A shared store that cannot be reached: only the stored start time is lost; the run goes on.
            }

            run.Run = run.Run with { StartedAt = run.Run.StartedAt ?? now };
            feed.Publish("run", new { id = run.Run.Id, status = RunStatus.Running, startedAt = now });
            Changed.Fire();
        }
    }

    /// <summary>Notes that one of the run's jobs became final: the last marks the run finished.</summary>
    public async ValueTask FinishedAsync(LiveRun run, long index, RecentCompletion completion)
    {
        run.Activity(completion.Lane).Ended(completion.At);
        feed.Publish("job", new { run = run.Run.Id, index, state = completion.Status, lane = completion.Lane.Length == 0 ? null : completion.Lane, what = completion.What, model = completion.Model, attempts = completion.Attempts, ms = completion.Ms });
        if (run.Finished(completion))
        {
            // The last here: on a shared store, other processes may still hold some of its jobs.
            JobCounts counts = JobCounts.Of(await store.CountBatchAsync(run.Run.Id).ConfigureAwait(false));
            if (counts.Remaining == 0 || !options.Shared)
            {
                End(run, counts);
            }
            else
            {
                run.Recount(counts.Remaining);
            }
        }

        Changed.Fire();
    }

    /// <summary>Marks a run whose jobs have all ended finished, once.</summary>
    private void End(LiveRun run, JobCounts counts)
    {
        if (run.End())
        {
            DateTimeOffset now = time.GetUtcNow();
            catalog.MarkFinished(run.Run.Id, now);
            run.Run = run.Run with { FinishedAt = run.Run.FinishedAt ?? now };
            run.Recount(0);
            feed.Publish("run", new { id = run.Run.Id, status = RunStatus.Of(run.Run, counts), finishedAt = run.Run.FinishedAt, succeeded = counts.Succeeded, failed = counts.Failed, cancelled = counts.Cancelled });
            Changed.Fire();
        }
    }

    /// <summary>Cancels a run: its jobs that are not final, and the requests of those in flight. False when it had ended.</summary>
    public async ValueTask<bool> CancelAsync(LiveRun run)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (!catalog.MarkCancelled(run.Run.Id, now))
        {
            return false;
        }

        run.Run = run.Run with { Cancelled = true, FinishedAt = now };
        await store.CancelBatchAsync(run.Run.Id).ConfigureAwait(false);
        run.CancelAllInFlight();
        feed.Publish("run", new { id = run.Run.Id, status = RunStatus.Cancelled, finishedAt = now });
        run.Changed.Fire();
        Changed.Fire();
        return true;
    }

    /// <summary>
    /// Cancels one job: a queued one is never sent, a running one has its request cancelled. Returns
    /// the job afterwards (unchanged when it had ended), or null when it is gone.
    /// </summary>
    public async ValueTask<StoredJob?> CancelJobAsync(LiveRun run, string jobId, CancellationToken cancellationToken)
    {
        StoredJob? after;
        bool ended;

        // One cancel at a time per run: two of one job must count it final once.
        await run.CancelOne.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            StoredJob? before = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (before is null || before.IsFinal)
            {
                return before;
            }

            after = await store.CancelAsync(jobId, cancellationToken).ConfigureAwait(false);
            ended = after is { State: StoredJobState.Cancelled };
        }
        finally
        {
            run.CancelOne.Release();
        }

        if (ended)
        {
            run.CancelInFlight(after!.Sequence);
            long index = run.Run.Index(after.Sequence);
            await FinishedAsync(run, index, new RecentCompletion(RecentCompletion.Name(null, index), after.Submission.Lane, "cancelled", 0, time.GetUtcNow(), Attempts: after.Attempts)).ConfigureAwait(false);
        }

        return after;
    }

    /// <summary>Forgets a deleted run.</summary>
    public void Remove(string id)
    {
        lock (_lock)
        {
            _runs.Remove(id);
        }

        feed.Publish("run", new { id, status = "deleted" });
        Changed.Fire();
    }
}
