using Pacer.Sqlite;

namespace Pacer.Server.Runs;

/// <summary>
/// Stores a submitted run: checks every line (<see cref="IRequestFormat.Check"/>), adds the jobs in
/// one transaction, then the run. A line that cannot be a job is stored too, and gets its error as
/// its result; a line the server will not send refuses the whole submission, and nothing is stored.
/// </summary>
internal sealed class RunSubmitter(SqliteJobStore store, RunCatalog catalog, RunTracker tracker, IRequestFormat format, RunExecutor executor, TimeProvider time) : IDisposable
{
    /// <summary>The lane a line that cannot be a job is stored under: no lane's name can be empty.</summary>
    public const string NoLane = "";

    private const int MaxRefusalsShown = 5;

    /// <summary>Submissions that carry an idempotency key wait for each other, so that two at once make one run.</summary>
    private readonly SemaphoreSlim _keyed = new(1, 1);

    public async Task<SubmitOutcome> SubmitAsync(IReadOnlyList<string> lines, RunRequest request, CancellationToken cancellationToken)
    {
        if (request.IdempotencyKey is null)
        {
            return await StoreAsync(lines, request, cancellationToken).ConfigureAwait(false);
        }

        await _keyed.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return catalog.FindByKey(request.IdempotencyKey) is { } existing
                ? new SubmitOutcome(existing, Existing: true, [])
                : await StoreAsync(lines, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _keyed.Release();
        }
    }

    public void Dispose() => _keyed.Dispose();

    private async Task<SubmitOutcome> StoreAsync(IReadOnlyList<string> lines, RunRequest request, CancellationToken cancellationToken)
    {
        string id = RunCatalog.NewId();
        var submissions = new JobSubmission[lines.Count];
        var refusals = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            CheckedLine line = format.Check(i, lines[i], request.Priority);
            if (line.Refusal is { } refusal)
            {
                refusals.Add(refusal);
                continue;
            }

            submissions[i] = new JobSubmission(lines[i], line.Lane ?? NoLane, line.Priority, line.Cost, id);
        }

        if (refusals.Count > 0)
        {
            return SubmitOutcome.Refused(refusals.Count > MaxRefusalsShown
                ? [.. refusals.Take(MaxRefusalsShown), $"and {refusals.Count - MaxRefusalsShown} more lines like these"]
                : refusals);
        }

        IReadOnlyList<StoredJob> stored = submissions.Length == 0 ? [] : await store.AddAsync(submissions, cancellationToken).ConfigureAwait(false);
        var run = new RunRecord
        {
            Id = id,
            Name = request.Name,
            Priority = request.Priority,
            MaxConcurrency = request.MaxConcurrency,
            Jobs = stored.Count,
            FirstSequence = stored.Count == 0 ? 0 : stored[0].Sequence,
            CreatedAt = time.GetUtcNow(),
        };
        System.Diagnostics.Debug.Assert(
            stored.Count == 0 || stored[^1].Sequence - stored[0].Sequence == stored.Count - 1,
            "A run's jobs are added in one transaction, so their sequence numbers follow each other.");

        RunRecord added = catalog.Add(run, request.IdempotencyKey);
        tracker.Add(added);
        executor.Wake();
        return new SubmitOutcome(added, Existing: false, []);
    }
}
