using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pacer.Server.Runs;

namespace Pacer.Server.Api;

/// <summary>The runs under <c>/api/runs</c>: submit, list, show, results (paged or streamed), cancel a run or one job, delete.</summary>
internal static class RunEndpoints
{
    private const int DefaultPage = 1000;
    private const int MaxPage = 10_000;

    /// <summary>How long a stream of results waits after a result is ready, for more to read with it.</summary>
    private static readonly TimeSpan StreamPause = TimeSpan.FromMilliseconds(50);

    public static void Map(IEndpointRouteBuilder api)
    {
        RouteGroupBuilder runs = api.MapGroup("/runs").WithTags("runs");
        runs.MapPost("/", SubmitAsync).WithSummary("Submits a run: JSON lines (application/x-ndjson) or a JSON array of request objects. ?mode=sequential|parallel|auto and ?wait=true answer, once it ends, with every result and its metrics.");
        runs.MapGet("/", ListAsync).WithSummary("Lists runs, newest first: ?offset= and ?limit= page them.");
        runs.MapGet("/{id}", GetAsync).WithSummary("A run: status, counts, ETA and, while it runs, its per-lane metrics.");
        runs.MapGet("/{id}/results", ResultsAsync).WithSummary("A run's results as JSON lines in input order: ?after=INDEX&limit=N pages them, ?wait=true streams them until the run ends.");
        runs.MapPost("/{id}/cancel", CancelAsync).WithSummary("Cancels a run: its queued, waiting and running jobs.");
        runs.MapPost("/{id}/jobs/{index}/cancel", CancelJobAsync).WithSummary("Cancels one job of a run, queued, waiting to retry or running; answers with its state afterwards.");
        runs.MapDelete("/{id}", DeleteAsync).WithSummary("Deletes a run that has ended, with its results.");
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request, RunSubmitter submitter, ServerOptions options, IRequestFormat format, RunTracker tracker, IBatchJobStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!QueryValue.TryWhole(request, "priority", -RequestPriority.Max, RequestPriority.Max, 0, out long? priority, out IResult? problem)
            || !QueryValue.TryWhole(request, "maxConcurrency", 1, 100_000, null, out long? maxConcurrency, out problem))
        {
            return problem!;
        }

        string asked = (string?)request.Query["mode"] ?? ProcessingModes.Parallel;
        if (!ProcessingModes.Names.Contains(asked, StringComparer.Ordinal))
        {
            return Problems.BadRequest($"Query parameter 'mode' takes {string.Join(", ", ProcessingModes.Names)}, got '{QueryValue.Shorten(asked)}'.", "mode");
        }

        if (asked == ProcessingModes.Combined)
        {
            return Problems.BadRequest(ProcessingModes.CombinedRefusal(format.Lanes), "mode");
        }

        (string mode, IReadOnlyList<ModeFallbackView> fallbacks) = ProcessingModes.Resolve(asked);
        if (!QueryValue.TryFlag(request, "wait", out bool wait, out problem))
        {
            return problem!;
        }

        string? name = request.Query["name"];
        if (name is { Length: > 200 })
        {
            return Problems.BadRequest("Query parameter 'name' is longer than 200 characters.", "name");
        }

        string? key = request.Headers["Idempotency-Key"];
        if (key is { Length: 0 or > 200 })
        {
            return Problems.BadRequest("Header 'Idempotency-Key' must be 1 to 200 characters.", "Idempotency-Key");
        }

        BodyLines.Read read;
        try
        {
            read = await BodyLines.ReadAsync(request, options.MaxJobsPerRun, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.TooLarge($"The body is larger than {options.MaxBodyBytes} bytes (--max-body).", options.MaxBodyBytes);
        }

        if (read.Problem is not null)
        {
            return read.Problem;
        }

        if (read.Lines!.Count == 0)
        {
            return Problems.BadRequest("The body holds no lines: send one request object per line, or a JSON array of them.", "body");
        }

        SubmitOutcome outcome = await submitter.SubmitAsync(read.Lines, new RunRequest(name, (int)priority!.Value, (int?)maxConcurrency, key, mode), cancellationToken).ConfigureAwait(false);
        if (outcome.Run is not { } run)
        {
            return Problems.BadRequest(outcome.Refusals[0], "url", outcome.Refusals);
        }

        if (wait)
        {
            // Plan 003: the answer waits for the run, and holds every result and the run's metrics.
            LiveRun live = (await tracker.FindAsync(run.Id).ConfigureAwait(false))!;
            return await ModeAnswer.WhenEndedAsync(live, asked, fallbacks, store, time, cancellationToken).ConfigureAwait(false);
        }

        var created = new { id = run.Id, status = outcome.Existing ? "existing" : RunStatus.Queued, jobs = run.Jobs };
        return outcome.Existing
            ? Results.Ok(created)
            : Results.Created($"/api/runs/{run.Id}", created);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IRunCatalog catalog, RunView view, CancellationToken cancellationToken)
    {
        if (!QueryValue.TryWhole(request, "offset", 0, int.MaxValue, 0, out long? offset, out IResult? problem)
            || !QueryValue.TryWhole(request, "limit", 1, 500, 50, out long? limit, out problem))
        {
            return problem!;
        }

        IReadOnlyList<RunRecord> page = catalog.List((int)offset!.Value, (int)limit!.Value + 1);
        var runs = new List<object>();
        foreach (RunRecord run in page.Take((int)limit.Value))
        {
            runs.Add(await view.SummaryAsync(run, cancellationToken).ConfigureAwait(false));
        }

        string? next = page.Count > limit ? $"/api/runs?offset={offset + limit}&limit={limit}" : null;
        return Results.Ok(new { runs, offset, limit, next });
    }

    private static async Task<IResult> GetAsync(string id, RunTracker tracker, RunView view, CancellationToken cancellationToken) =>
        await tracker.FindAsync(id).ConfigureAwait(false) is { } run
            ? Results.Ok(await view.OfAsync(run, cancellationToken).ConfigureAwait(false))
            : NoRun(id);

    private static async Task ResultsAsync(string id, HttpContext context, RunTracker tracker, IBatchJobStore store, IRequestFormat format, TimeProvider time)
    {
        HttpRequest request = context.Request;
        CancellationToken aborted = context.RequestAborted;
        if (!QueryValue.TryWhole(request, "after", -1, QueryValue.MaxIndex, -1, out long? after, out IResult? problem)
            || !QueryValue.TryFlag(request, "wait", out bool wait, out problem)
            || !QueryValue.TryWhole(request, "limit", 1, wait ? long.MaxValue : MaxPage, wait ? long.MaxValue : DefaultPage, out long? limit, out problem))
        {
            await problem!.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (await tracker.FindAsync(id).ConfigureAwait(false) is not { } live)
        {
            await NoRun(id).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/x-ndjson; charset=utf-8";
        long next = after!.Value + 1;
        long left = limit!.Value;
        var text = new StringBuilder();
        while (left > 0 && next < live.Run.Jobs && !aborted.IsCancellationRequested)
        {
            Task changed = live.Changed.Next;
            IReadOnlyList<StoredJob> page = await store.PageBatchAsync(id, live.Run.Sequence(next) - 1, (int)Math.Min(left, DefaultPage), aborted).ConfigureAwait(false);
            int written = 0;
            foreach (StoredJob job in page)
            {
                if (!job.IsFinal)
                {
                    break;
                }

                text.Append(ResultOf(job, live.Run, format)).Append('\n');
                written++;
            }

            next += written;
            left -= written;
            if (text.Length > 0)
            {
                await context.Response.WriteAsync(text.ToString(), aborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                text.Clear();
            }

            if (written < page.Count || page.Count == 0)
            {
                // The next job in order has no result yet.
                if (!wait)
                {
                    break;
                }

                try
                {
                    await changed.WaitAsync(TimeSpan.FromSeconds(1), time, aborted).ConfigureAwait(false);

                    // Results that come thick and fast are read in pages, not one query each.
                    await Task.Delay(StreamPause, time, aborted).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Looked again each second, whatever happened.
                }
            }
        }
    }

    private static async Task<IResult> CancelAsync(string id, RunTracker tracker, RunView view, CancellationToken cancellationToken)
    {
        if (await tracker.FindAsync(id).ConfigureAwait(false) is not { } run)
        {
            return NoRun(id);
        }

        await tracker.CancelAsync(run).ConfigureAwait(false);
        return Results.Ok(await view.OfAsync(run, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> CancelJobAsync(string id, string index, RunTracker tracker, IBatchJobStore store, CancellationToken cancellationToken)
    {
        if (await tracker.FindAsync(id).ConfigureAwait(false) is not { } live)
        {
            return NoRun(id);
        }

        if (!long.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out long at) || at >= live.Run.Jobs)
        {
            return Problems.NotFound($"Run '{id}' has jobs 0 to {live.Run.Jobs - 1}; there is no job '{QueryValue.Shorten(index)}'.");
        }

        string jobId = live.Run.Sequence(at).ToString(CultureInfo.InvariantCulture);
        StoredJob? after = await tracker.CancelJobAsync(live, jobId, cancellationToken).ConfigureAwait(false);
        return after is null
            ? Problems.NotFound($"Job {at} of run '{id}' is gone (the run was deleted).")
            : Results.Ok(new { index = at, state = RunExecutor.StateName(after.State) });
    }

    private static async Task<IResult> DeleteAsync(string id, RunTracker tracker, IRunCatalog catalog, IBatchJobStore store, CancellationToken cancellationToken)
    {
        if (await tracker.FindAsync(id).ConfigureAwait(false) is not { } live)
        {
            return NoRun(id);
        }

        if (live.Run.FinishedAt is null)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "The run has not ended.", $"Run '{id}' is still {(live.Run.StartedAt is null ? "queued" : "running")}: cancel it first (POST /api/runs/{id}/cancel).");
        }

        await store.DeleteBatchAsync(id, cancellationToken).ConfigureAwait(false);
        catalog.Delete(id);
        tracker.Remove(id);
        return Results.NoContent();
    }

    /// <summary>A job's result line: as recorded, or, for a job cancelled before it had one, a cancelled result.</summary>
    private static string ResultOf(StoredJob job, RunRecord run, IRequestFormat format) =>
        job.Result ?? format.CancelledResult(run.Index(job.Sequence), job.Submission.Payload, job.Submission.Lane.Length == 0 ? null : job.Submission.Lane);

    private static IResult NoRun(string id) => Problems.NotFound($"There is no run '{QueryValue.Shorten(id)}'.");
}
