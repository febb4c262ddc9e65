namespace Pacer;

/// <summary>
/// A batch's counts by state and its remaining jobs per lane, kept by the engine as jobs move,
/// under the engine lock (so a snapshot is consistent with the lanes' own counts).
/// </summary>
internal sealed class BatchCounters(long timestampFrequency)
{
    /// <summary>Most batches use one lane: its count lives here, and the dictionary only holds the others.</summary>
    private Lane? _firstLane;
    private int _firstRemaining;
    private Dictionary<Lane, int>? _otherLanes;

    public int Submitted;
    public int Queued;
    public int Running;
    public int WaitingToRetry;
    public int Succeeded;
    public int Failed;
    public int Cancelled;

    public ThroughputMeter Throughput { get; } = new(timestampFrequency);

    /// <summary>Jobs not yet final, per lane.</summary>
    public IEnumerable<KeyValuePair<Lane, int>> RemainingByLane
    {
        get
        {
            if (_firstLane is not null && _firstRemaining > 0)
            {
                yield return new(_firstLane, _firstRemaining);
            }

            if (_otherLanes is not null)
            {
                foreach (KeyValuePair<Lane, int> pair in _otherLanes)
                {
                    yield return pair;
                }
            }
        }
    }

    /// <summary>A new job of the batch is queued (see <see cref="JobLifecycle"/>).</summary>
    public void OnSubmittedUnsynchronized(Job job)
    {
        Submitted++;
        Queued++;
        _firstLane ??= job.Lane;
        if (ReferenceEquals(job.Lane, _firstLane))
        {
            _firstRemaining++;
        }
        else
        {
            _otherLanes ??= [];
            _otherLanes[job.Lane] = _otherLanes.GetValueOrDefault(job.Lane) + 1;
        }
    }

    /// <summary>A job of the batch moved from <paramref name="from"/> to its state now (see <see cref="JobLifecycle"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void OnMovedUnsynchronized(Job job, JobState from, long now)
    {
        Count(from)--;
        Count(job.State)++;
        if (job.State is JobState.Queued or JobState.Running or JobState.WaitingToRetry)
        {
            return;
        }

        if (ReferenceEquals(job.Lane, _firstLane))
        {
            _firstRemaining--;
        }
        else
        {
            int left = _otherLanes![job.Lane] - 1;
            if (left == 0)
            {
                _otherLanes.Remove(job.Lane);
            }
            else
            {
                _otherLanes[job.Lane] = left;
            }
        }

        Throughput.Record(now);
    }

    /// <summary>Every job submitted is in exactly one state, and no count is below zero.</summary>
    public bool Holds(out string? broken)
    {
        int sum = Queued + Running + WaitingToRetry + Succeeded + Failed + Cancelled;
        broken = Queued < 0 || Running < 0 || WaitingToRetry < 0 || sum != Submitted
            ? $"its batch counts queued {Queued}, running {Running}, waiting {WaitingToRetry}, succeeded {Succeeded}, failed {Failed}, cancelled {Cancelled}, of {Submitted} submitted."
            : null;
        return broken is null;
    }

    private ref int Count(JobState state)
    {
        switch (state)
        {
            case JobState.Queued: return ref Queued;
            case JobState.Running: return ref Running;
            case JobState.WaitingToRetry: return ref WaitingToRetry;
            case JobState.Succeeded: return ref Succeeded;
            case JobState.Failed: return ref Failed;
            default: return ref Cancelled;
        }
    }
}
