using System.Collections.Concurrent;
using Pacer.Server.Runs;

namespace Pacer.Cli.Worker;

/// <summary>
/// Where a claimed job stands in the <c>pacer serve</c> run it belongs to, when it belongs to one:
/// its place in the run (the <c>"line"</c> of its result) and the run's priority. A worker that
/// takes a run's first job marks the run started. Jobs added without a run keep their place in the
/// store.
/// </summary>
internal sealed class RunPlaces(IRunCatalog runs, TimeProvider time)
{
    /// <summary>How often a run whose jobs are still being added is looked at again.</summary>
    private static readonly TimeSpan Registering = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, RunRecord?> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _started = new(StringComparer.Ordinal);

    /// <summary>The job's place (from 0) and the priority its run adds.</summary>
    public async ValueTask<(long Index, int Priority)> PlaceAsync(StoredJob job, CancellationToken cancellationToken)
    {
        RunRecord? run = job.Submission.BatchId is { } batch ? await FindAsync(batch, cancellationToken).ConfigureAwait(false) : null;
        if (run is null)
        {
            return (job.Sequence - 1, 0);
        }

        if (run.StartedAt is null && _started.TryAdd(run.Id, true))
        {
            try
            {
                runs.MarkStarted(run.Id, time.GetUtcNow());
            }
            catch (System.Data.Common.DbException)
            {
                // Only the run's start time is lost: a server shows it running from its counts.
                _started.TryRemove(run.Id, out _);
            }
        }

        return (run.Index(job.Sequence), run.Priority);
    }

    private async ValueTask<RunRecord?> FindAsync(string batch, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(batch, out RunRecord? known))
        {
            return known;
        }

        TimeSpan unreachable = Registering;
        while (true)
        {
            try
            {
                if (runs.Get(batch) is { } run)
                {
                    return _known[batch] = run;
                }

                if (!runs.IsRegistering(batch))
                {
                    // Served since it was looked for (its jobs were stored meanwhile), or no run's.
                    return _known[batch] = runs.Get(batch);
                }

                // A server is adding the run's jobs: its place in the store is known once it has.
                await Task.Delay(Registering, time, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException)
            {
                // The store cannot be reached: the job waits for it (its lease runs on meanwhile), rather than failing.
                await Task.Delay(unreachable, time, cancellationToken).ConfigureAwait(false);
                unreachable = TimeSpan.FromTicks(Math.Min(unreachable.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }
}
