using System.Globalization;
using GraphQL;
using Pacer.Server.Api;
using Pacer.Server.Runs;
using Pacer.Sqlite;

namespace Pacer.Server.Graph;

/// <summary>GraphQL's mutations: <c>submitRun</c>, <c>cancelRun</c>, <c>cancelJob</c>.</summary>
internal sealed class Mutation
{
    /// <summary>Submits a run: one request object per element of <paramref name="requests"/>, each as JSON text, as a line of <c>pacer run</c>.</summary>
    public static async Task<RunDetails> SubmitRun(
        [FromServices] RunSubmitter submitter,
        [FromServices] RunTracker tracker,
        [FromServices] RunView view,
        [FromServices] ServerOptions options,
        List<string> requests,
        CancellationToken cancellationToken,
        string? name = null,
        int priority = 0,
        int? maxConcurrency = null,
        string? idempotencyKey = null)
    {
        if (requests.Count == 0)
        {
            throw new ExecutionError("'requests' holds no request: give one request object (as JSON text) per element.");
        }

        if (requests.Count > options.MaxJobsPerRun)
        {
            throw new ExecutionError($"A run holds at most {options.MaxJobsPerRun} jobs (--max-jobs); 'requests' has {requests.Count}.");
        }

        if (priority is < -RequestPriority.Max or > RequestPriority.Max || maxConcurrency is < 1 or > 100_000 || name is { Length: > 200 } || idempotencyKey is { Length: 0 or > 200 })
        {
            throw new ExecutionError($"'priority' must be from {-RequestPriority.Max} to {RequestPriority.Max}, 'maxConcurrency' from 1 to 100000, 'name' and 'idempotencyKey' up to 200 characters.");
        }

        SubmitOutcome outcome = await submitter.SubmitAsync(requests, new RunRequest(name, priority, maxConcurrency, idempotencyKey), cancellationToken).ConfigureAwait(false);
        if (outcome.Run is not { } run)
        {
            throw new ExecutionError(string.Join(" ", outcome.Refusals));
        }

        return await view.OfAsync((await tracker.FindAsync(run.Id).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels a run: its queued, waiting and running jobs.</summary>
    public static async Task<RunDetails> CancelRun([FromServices] RunTracker tracker, [FromServices] RunView view, string id, CancellationToken cancellationToken)
    {
        LiveRun run = await tracker.FindAsync(id).ConfigureAwait(false) ?? throw new ExecutionError($"There is no run '{QueryValue.Shorten(id)}'.");
        await tracker.CancelAsync(run).ConfigureAwait(false);
        return await view.OfAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels one job of a run, queued, waiting to retry or running; answers with its state afterwards.</summary>
    public static async Task<JobCancelled> CancelJob([FromServices] RunTracker tracker, string id, long index, CancellationToken cancellationToken)
    {
        LiveRun run = await tracker.FindAsync(id).ConfigureAwait(false) ?? throw new ExecutionError($"There is no run '{QueryValue.Shorten(id)}'.");
        if (index < 0 || index >= run.Run.Jobs)
        {
            throw new ExecutionError($"Run '{id}' has jobs 0 to {run.Run.Jobs - 1}; there is no job {index}.");
        }

        StoredJob after = await tracker.CancelJobAsync(run, run.Run.Sequence(index).ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false)
            ?? throw new ExecutionError($"Job {index} of run '{id}' is gone.");
        return new JobCancelled(index, RunExecutor.StateName(after.State));
    }
}
