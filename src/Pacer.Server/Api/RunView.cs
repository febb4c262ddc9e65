using Pacer.Server.Runs;

namespace Pacer.Server.Api;

/// <summary>How the API shows a run: its status, counts, ETA and, while it runs, its per-lane metrics (plan 000's <c>executionMetrics</c>).</summary>
internal sealed class RunView(IBatchJobStore store, PacerEngine engine)
{
    public async Task<RunDetails> OfAsync(LiveRun live, CancellationToken cancellationToken)
    {
        RunRecord run = live.Run;
        IReadOnlyList<BatchCount> byLane = await store.CountBatchAsync(run.Id, cancellationToken).ConfigureAwait(false);
        JobCounts counts = Split(live, byLane, JobCounts.Of(byLane));
        string status = RunStatus.Of(run, counts);
        bool ended = status is not (RunStatus.Queued or RunStatus.Running);
        ExecutionMetrics? metrics = ended ? null : Metrics(live, byLane);
        return new RunDetails(
            run.Id,
            run.Name,
            status,
            run.Jobs,
            run.Priority,
            run.MaxConcurrency,
            run.Mode,
            new RunCounts(counts.Queued, counts.Running, counts.WaitingToRetry, counts.Succeeded, counts.Failed, counts.Cancelled),
            ended ? 0 : metrics?.EstimatedTimeRemaining,
            run.CreatedAt,
            run.StartedAt,
            run.FinishedAt,
            metrics,
            ended ? Summary(live, byLane) : null,
            $"/api/runs/{run.Id}/results");
    }

    /// <summary>One line of a list of runs: the run without its metrics.</summary>
    public async Task<object> SummaryAsync(RunRecord run, CancellationToken cancellationToken)
    {
        JobCounts counts = JobCounts.Of(await store.CountBatchAsync(run.Id, cancellationToken).ConfigureAwait(false));
        return new
        {
            id = run.Id,
            name = run.Name,
            status = RunStatus.Of(run, counts),
            jobs = run.Jobs,
            done = counts.Succeeded + counts.Failed + counts.Cancelled,
            createdAt = run.CreatedAt,
            startedAt = run.StartedAt,
            finishedAt = run.FinishedAt,
        };
    }

    /// <summary>An ended run against its limits: each lane's time from the run's start to its last job, and the least its limits allowed for the requests it sent.</summary>
    private RunSummary Summary(LiveRun live, IReadOnlyList<BatchCount> byLane)
    {
        RunRecord run = live.Run;
        var lanes = new List<LaneSummary>();
        foreach (string lane in byLane.Select(c => c.Lane).Where(l => l != RunSubmitter.NoLane).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            JobCounts counts = JobCounts.Of(byLane, l => l == lane);
            double? seconds = run.StartedAt is { } started && live.Activity(lane).LastEnded is { } last ? Math.Round(Math.Max(0, (last - started).TotalSeconds), 2) : null;
            double? least = LeastTime.Seconds(counts.Succeeded + counts.Failed, engine.GetLaneSnapshot(lane));
            lanes.Add(new LaneSummary(lane, counts.Succeeded, counts.Failed, counts.Cancelled, seconds, least is { } l ? Math.Round(l, 2) : null));
        }

        // The run's end is marked a moment after its last outcome is stored: until then, its lanes' last ends stand for it.
        DateTimeOffset? ended = run.FinishedAt ?? byLane.Select(c => live.Activity(c.Lane).LastEnded).Max();
        double? elapsed = run.StartedAt is { } start && ended is { } end ? Math.Round(Math.Max(0, (end - start).TotalSeconds), 2) : null;
        double? leastOverall = lanes.Any(l => l.LeastSeconds is not null) ? lanes.Max(l => l.LeastSeconds ?? 0) : null;
        string? slowest = lanes.Any(l => l.Seconds is not null)
            ? lanes.MaxBy(l => l.Seconds ?? -1)!.Lane
            : lanes.Where(l => l.LeastSeconds is not null).MaxBy(l => l.LeastSeconds)?.Lane;
        return new RunSummary(elapsed, leastOverall, slowest, lanes);
    }

    /// <summary>The run's counts with its claimed jobs split, lane by lane, by what they are doing.</summary>
    private static JobCounts Split(LiveRun live, IReadOnlyList<BatchCount> byLane, JobCounts whole)
    {
        long inAttempt = 0, between = 0;
        foreach (string lane in byLane.Select(c => c.Lane).Distinct(StringComparer.Ordinal))
        {
            LaneActivity activity = live.Activity(lane);
            inAttempt += Interlocked.Read(ref activity.InAttempt);
            between += Interlocked.Read(ref activity.BetweenAttempts);
        }

        return whole.Split(inAttempt, between);
    }

    private ExecutionMetrics Metrics(LiveRun live, IReadOnlyList<BatchCount> byLane)
    {
        IReadOnlyList<RecentCompletion> recent = live.Recent();
        var providers = new List<ProviderMetrics>();
        double? eta = 0;
        foreach (string lane in byLane.Select(c => c.Lane).Where(l => l != RunSubmitter.NoLane).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            LaneActivity activity = live.Activity(lane);
            JobCounts counts = JobCounts.Of(byLane, l => l == lane).Split(Interlocked.Read(ref activity.InAttempt), Interlocked.Read(ref activity.BetweenAttempts));
            LaneSnapshot snapshot = engine.GetLaneSnapshot(lane);
            RateLimit? tightest = snapshot.Rates.Count == 0 ? null : snapshot.Rates.MinBy(r => r.PerSecondRate);
            providers.Add(new ProviderMetrics(
                lane,
                counts.Running,
                counts.Queued,
                snapshot.MaxConcurrency,
                tightest is null ? null : Math.Round(tightest.PerSecondRate * 60, 3),
                Math.Round(snapshot.Throughput * 60, 3),
                [.. recent.Where(r => r.Lane == lane)],
                counts.Succeeded + counts.Failed + counts.Cancelled,
                counts.Succeeded + counts.Failed + counts.Cancelled + counts.Remaining));
            if (counts.Remaining > 0)
            {
                eta = snapshot.Capacity is > 0 and var capacity && eta is not null ? Math.Max(eta.Value, counts.Remaining / capacity) : null;
            }
        }

        return new ExecutionMetrics(
            providers,
            providers.Sum(p => p.ActiveJobs),
            providers.Sum(p => p.QueuedJobs),
            eta is null ? null : Math.Round(eta.Value, 1));
    }

    /// <summary>Plan 000's metrics of a running run.</summary>
    [global::GraphQL.Name("ExecutionMetrics")]
    public sealed record ExecutionMetrics(IReadOnlyList<ProviderMetrics> Providers, long TotalActive, long TotalQueued, double? EstimatedTimeRemaining);

    /// <summary>One lane's part in a run: plan 000's fields, and how many of its jobs in the run have ended, of how many.</summary>
    [global::GraphQL.Name("ProviderMetrics")]
    public sealed record ProviderMetrics(
        string Provider, long ActiveJobs, long QueuedJobs, int? MaxParallel, double? RequestsPerMinute, double CurrentRequestsPerMinute, IReadOnlyList<RecentCompletion> RecentCompletions, long DoneJobs, long TotalJobs);
}
