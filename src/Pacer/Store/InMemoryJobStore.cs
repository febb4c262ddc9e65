namespace Pacer;

/// <summary>
/// The default <see cref="IJobStore"/>: everything in process memory, lost with the process.
/// Claims are O(log n): pending jobs sit in a sorted set by priority and order of addition,
/// claimed ones in a sorted set by lease expiry.
/// </summary>
public sealed class InMemoryJobStore : IJobStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, StoredJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byBatch = new(StringComparer.Ordinal);
    private readonly SortedSet<(int NegPriority, long Sequence, string Id)> _pending = [];
    private readonly SortedSet<(DateTimeOffset Expires, long Sequence, string Id)> _leases = [];
    private long _sequence;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">Where lease times come from; default <see cref="TimeProvider.System"/>.</param>
    public InMemoryJobStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> AddAsync(IReadOnlyList<JobSubmission> submissions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        cancellationToken.ThrowIfCancellationRequested();
        var added = new StoredJob[submissions.Count];
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            for (int i = 0; i < submissions.Count; i++)
            {
                JobSubmission submission = submissions[i] ?? throw new ArgumentException($"Submission {i} is null.", nameof(submissions));
                if (submission.IdempotencyKey is { } key && _byKey.TryGetValue(key, out string? existing))
                {
                    added[i] = _jobs[existing];
                    continue;
                }

                long sequence = ++_sequence;
                var job = new StoredJob
                {
                    Id = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Sequence = sequence,
                    Submission = submission,
                    State = StoredJobState.Pending,
                    CreatedAt = now,
                };
                _jobs.Add(job.Id, job);
                _pending.Add((-submission.Priority, sequence, job.Id));
                if (submission.IdempotencyKey is { } newKey)
                {
                    _byKey.Add(newKey, job.Id);
                }

                if (submission.BatchId is { } batch)
                {
                    if (!_byBatch.TryGetValue(batch, out List<string>? ids))
                    {
                        _byBatch.Add(batch, ids = []);
                    }

                    ids.Add(job.Id);
                }

                added[i] = job;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<StoredJob>>(added);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> ClaimAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var claimed = new List<StoredJob>();
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireLeasesUnsynchronized(now);
            while (claimed.Count < max && _pending.Count > 0)
            {
                (int negPriority, long sequence, string id) = _pending.Min;
                _pending.Remove((negPriority, sequence, id));
                StoredJob job = _jobs[id] with
                {
                    State = StoredJobState.Claimed,
                    LeaseOwner = worker,
                    LeaseExpiresAt = now + lease,
                };
                _jobs[id] = job;
                _leases.Add((job.LeaseExpiresAt.Value, sequence, id));
                claimed.Add(job);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<StoredJob>>(claimed);
    }

    /// <inheritdoc/>
    public ValueTask<bool> RenewAsync(string id, string worker, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireLeasesUnsynchronized(now);
            if (!HoldsUnsynchronized(id, worker, out StoredJob? job))
            {
                return ValueTask.FromResult(false);
            }

            _leases.Remove((job.LeaseExpiresAt!.Value, job.Sequence, id));
            job = job with { LeaseExpiresAt = now + lease };
            _jobs[id] = job;
            _leases.Add((job.LeaseExpiresAt.Value, job.Sequence, id));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> CompleteAsync(
        string id, string worker, StoredJobState state, int attempts, string? result, string? errorMessage, CancellationToken cancellationToken = default)
    {
        if (state is not (StoredJobState.Succeeded or StoredJobState.Failed or StoredJobState.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "A completion must be Succeeded, Failed or Cancelled.");
        }

        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            ExpireLeasesUnsynchronized(now);
            if (!HoldsUnsynchronized(id, worker, out StoredJob? job))
            {
                return ValueTask.FromResult(false);
            }

            _leases.Remove((job.LeaseExpiresAt!.Value, job.Sequence, id));
            _jobs[id] = job with
            {
                State = state,
                Attempts = job.Attempts + attempts,
                Result = result,
                Error = errorMessage,
                LeaseOwner = null,
                LeaseExpiresAt = null,
                CompletedAt = now,
            };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(string id, string worker, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ExpireLeasesUnsynchronized(_time.GetUtcNow());
            if (!HoldsUnsynchronized(id, worker, out StoredJob? job))
            {
                return ValueTask.FromResult(false);
            }

            _leases.Remove((job.LeaseExpiresAt!.Value, job.Sequence, id));
            MakePendingUnsynchronized(job);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> CancelBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        int count = 0;
        lock (_lock)
        {
            if (!_byBatch.TryGetValue(batchId, out List<string>? ids))
            {
                return ValueTask.FromResult(0);
            }

            DateTimeOffset now = _time.GetUtcNow();
            foreach (string id in ids)
            {
                if (CancelUnsynchronized(id, now))
                {
                    count++;
                }
            }
        }

        return ValueTask.FromResult(count);
    }

    /// <inheritdoc/>
    public ValueTask<StoredJob?> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out StoredJob? job))
            {
                return ValueTask.FromResult<StoredJob?>(null);
            }

            return ValueTask.FromResult<StoredJob?>(CancelUnsynchronized(id, _time.GetUtcNow()) ? _jobs[id] : job);
        }
    }

    /// <summary>Cancels the job when it is not final; whether it was not.</summary>
    private bool CancelUnsynchronized(string id, DateTimeOffset now)
    {
        StoredJob job = _jobs[id];
        if (job.IsFinal)
        {
            return false;
        }

        _pending.Remove((-job.Submission.Priority, job.Sequence, id));
        if (job.LeaseExpiresAt is { } expires)
        {
            _leases.Remove((expires, job.Sequence, id));
        }

        _jobs[id] = job with { State = StoredJobState.Cancelled, LeaseOwner = null, LeaseExpiresAt = null, CompletedAt = now, Error = "cancelled" };
        return true;
    }

    /// <inheritdoc/>
    public ValueTask<StoredJob?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_jobs.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredJob>> ListBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<StoredJob> jobs = _byBatch.TryGetValue(batchId, out List<string>? ids) ? [.. ids.Select(id => _jobs[id])] : [];
            return ValueTask.FromResult(jobs);
        }
    }

    private bool HoldsUnsynchronized(string id, string worker, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredJob? job) =>
        _jobs.TryGetValue(id, out job) && job.State == StoredJobState.Claimed && job.LeaseOwner == worker;

    /// <summary>Puts jobs whose lease ran out back among the pending ones.</summary>
    private void ExpireLeasesUnsynchronized(DateTimeOffset now)
    {
        while (_leases.Count > 0 && _leases.Min.Expires <= now)
        {
            (DateTimeOffset expires, long sequence, string id) = _leases.Min;
            _leases.Remove((expires, sequence, id));
            MakePendingUnsynchronized(_jobs[id]);
        }
    }

    private void MakePendingUnsynchronized(StoredJob job)
    {
        _jobs[job.Id] = job with { State = StoredJobState.Pending, LeaseOwner = null, LeaseExpiresAt = null };
        _pending.Add((-job.Submission.Priority, job.Sequence, job.Id));
    }
}
