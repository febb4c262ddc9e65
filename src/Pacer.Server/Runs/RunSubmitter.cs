
namespace Pacer.Server.Runs;

/// <summary>
/// Stores a submitted run: checks every line (<see cref="IRequestFormat.Check"/>), adds the jobs in
/// one transaction, then the run. A line that cannot be a job is stored too, and gets its error as
/// its result; a line the server will not send refuses the whole submission, and nothing is stored.
/// </summary>
internal sealed class RunSubmitter(IBatchJobStore store, IRunCatalog catalog, RunTracker tracker, IRequestFormat format, RunExecutor executor, TimeProvider time) : IDisposable
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
        string id = IRunCatalog.NewId();
        var submissions = new JobSubmission[lines.Count];
        var refusals = new System.Collections.Concurrent.ConcurrentBag<(int Index, string Refusal)>();

        // Checking a line is parsing it: the lines are checked on every core, in chunks.
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, lines.Count, 4096), range =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
            {
                CheckedLine line = format.Check(i, lines[i], request.Priority);
                if (line.Refusal is { } refusal)
                {
                    refusals.Add((i, refusal));
                    continue;
                }

                submissions[i] = new JobSubmission(lines[i], line.Lane ?? NoLane, line.Priority, line.Cost, id);
            }
        });

        if (!refusals.IsEmpty)
        {
            string[] first = [.. refusals.OrderBy(r => r.Index).Take(MaxRefusalsShown).Select(r => r.Refusal)];
            return SubmitOutcome.Refused(refusals.Count > MaxRefusalsShown ? [.. first, $"and {refusals.Count - MaxRefusalsShown} more lines like these"] : first);
        }

        // The run's row first, then its jobs: a job claimed before its run is served waits for it.
        var run = new RunRecord
        {
            Id = id,
            Name = request.Name,
            Priority = request.Priority,
            // Sequential is one at a time: the run's own cap is 1, and its jobs start in input order.
            MaxConcurrency = request.Mode == ProcessingModes.Sequential ? 1 : request.MaxConcurrency,
            Mode = request.Mode,
            Jobs = lines.Count,
            FirstSequence = IRunCatalog.Registering,
            CreatedAt = time.GetUtcNow(),
        };
        RunRecord registered = catalog.Add(run, request.IdempotencyKey);
        if (registered.Id != id)
        {
            return new SubmitOutcome(registered, Existing: true, []);
        }

        IReadOnlyList<StoredJob> stored = await store.AddAsync(submissions, cancellationToken).ConfigureAwait(false);
        System.Diagnostics.Debug.Assert(
            stored[^1].Sequence - stored[0].Sequence == stored.Count - 1,
            "A run's jobs are added in one transaction, so their sequence numbers follow each other.");
        catalog.Registered(id, stored[0].Sequence, stored.Count);
        RunRecord served = run with { FirstSequence = stored[0].Sequence, Jobs = stored.Count };
        tracker.Add(served);
        executor.Wake();
        return new SubmitOutcome(served, Existing: false, []);
    }
}
