using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pacer.Server.Runs;

namespace Pacer.Server.Api;

/// <summary><c>GET /api/runs/{id}/jobs</c>: a run's jobs, filtered by state and lane, paged on the server.</summary>
internal static class JobEndpoints
{
    private static readonly string[] s_states = ["queued", "running", "waitingToRetry", "succeeded", "failed", "cancelled"];

    /// <summary>The most stored jobs one answer looks through for matches.</summary>
    private const int MaxScanned = 20_000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/runs/{id}/jobs", ListAsync)
            .WithTags("runs")
            .WithSummary("A run's jobs in input order, each with its state, lane, priority, attempts and error: ?state=a,b and ?lane= filter them, ?after=INDEX&limit=N page them.");

    private static async Task<IResult> ListAsync(string id, HttpRequest request, RunTracker tracker, IBatchJobStore store, IRequestFormat format, CancellationToken cancellationToken)
    {
        if (!QueryValue.TryWhole(request, "after", -1, QueryValue.MaxIndex, -1, out long? after, out IResult? problem)
            || !QueryValue.TryWhole(request, "limit", 1, 1000, 100, out long? limit, out problem))
        {
            return problem!;
        }

        HashSet<string> wanted = [.. ((string?)request.Query["state"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (wanted.FirstOrDefault(s => !s_states.Contains(s, StringComparer.Ordinal)) is { } unknown)
        {
            return Problems.BadRequest($"Query parameter 'state' takes {string.Join(", ", s_states)} (comma-separated), got '{QueryValue.Shorten(unknown)}'.", "state");
        }

        string? lane = request.Query["lane"];
        if (lane is not null && !format.Lanes.Any(l => l.Name == lane))
        {
            return Problems.BadRequest($"Query parameter 'lane' names no lane; the lanes are {string.Join(", ", format.Lanes.Select(l => $"'{l.Name}'"))}.", "lane");
        }

        if (await tracker.FindAsync(id).ConfigureAwait(false) is not { } live)
        {
            return Problems.NotFound($"There is no run '{QueryValue.Shorten(id)}'.");
        }

        RunRecord run = live.Run;
        var jobs = new List<object>();
        long afterSequence = run.Sequence(after!.Value + 1) - 1;
        int scanned = 0;
        bool more = true;
        while (jobs.Count < limit && scanned < MaxScanned && more)
        {
            IReadOnlyList<StoredJob> page = await store.FilterBatchAsync(id, afterSequence, 1000, StoredStates(wanted), lane, cancellationToken).ConfigureAwait(false);
            more = page.Count == 1000;
            foreach (StoredJob job in page)
            {
                afterSequence = job.Sequence;
                scanned++;
                string state = job.State == StoredJobState.Claimed ? live.ActivityOf(job.Sequence)?.State ?? "queued" : RunExecutor.StateName(job.State);
                if (wanted.Count > 0 && !wanted.Contains(state))
                {
                    continue;
                }

                jobs.Add(new
                {
                    index = run.Index(job.Sequence),
                    state,
                    lane = job.Submission.Lane.Length == 0 ? null : job.Submission.Lane,
                    priority = job.Submission.Priority,
                    attempts = job.Attempts,
                    error = job.State == StoredJobState.Succeeded ? null : job.Error,
                });
                if (jobs.Count == limit)
                {
                    more = job.Sequence < run.Sequence(run.Jobs - 1);
                    break;
                }
            }
        }

        string? next = more
            ? $"/api/runs/{id}/jobs?after={run.Index(afterSequence).ToString(CultureInfo.InvariantCulture)}&limit={limit}{(wanted.Count > 0 ? "&state=" + string.Join(',', wanted) : "")}{(lane is null ? "" : "&lane=" + Uri.EscapeDataString(lane))}"
            : null;
        return Results.Ok(new { jobs, next });
    }

    /// <summary>The stored states the API's states come from: a claimed job may be queued, running or waiting to retry.</summary>
    private static List<StoredJobState>? StoredStates(HashSet<string> wanted) =>
        wanted.Count == 0 ? null : [.. wanted.SelectMany(s => s switch
        {
            "queued" => (StoredJobState[])[StoredJobState.Pending, StoredJobState.Claimed],
            "running" or "waitingToRetry" => [StoredJobState.Claimed],
            "succeeded" => [StoredJobState.Succeeded],
            "failed" => [StoredJobState.Failed],
            _ => [StoredJobState.Cancelled],
        }).Distinct()];
}
