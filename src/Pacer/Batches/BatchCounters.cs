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

    public void OnEnqueuedUnsynchronized(Job job)
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

    public void OnStartedUnsynchronized()
    {
        Queued--;
        Running++;
    }

    public void OnReleasedUnsynchronized(bool wasRunning)
    {
        if (wasRunning)
        {
            Running--;
        }
    }

    public void OnRetryWaitingUnsynchronized() => WaitingToRetry++;

    public void OnRequeuedUnsynchronized()
    {
        WaitingToRetry--;
        Queued++;
    }

    public void OnCancelledUnsynchronized(JobState previous)
    {
        switch (previous)
        {
            case JobState.Queued:
                Queued--;
                break;
            case JobState.Running:
                Running--;
                break;
            case JobState.WaitingToRetry:
                WaitingToRetry--;
                break;
        }
    }

    public void OnFinalUnsynchronized(Job job, long now)
    {
        switch (job.State)
        {
            case JobState.Succeeded:
                Succeeded++;
                break;
            case JobState.Failed:
                Failed++;
                break;
            default:
                Cancelled++;
                break;
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
}
