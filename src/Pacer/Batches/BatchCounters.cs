namespace Pacer;

/// <summary>
/// A batch's counts by state and its remaining jobs per lane, kept by the engine as jobs move,
/// under the engine lock (so a snapshot is consistent with the lanes' own counts).
/// </summary>
internal sealed class BatchCounters(long timestampFrequency)
{
    private readonly Dictionary<Lane, int> _remainingByLane = [];

    public int Submitted;
    public int Queued;
    public int Running;
    public int WaitingToRetry;
    public int Succeeded;
    public int Failed;
    public int Cancelled;

    public ThroughputMeter Throughput { get; } = new(timestampFrequency);

    public IReadOnlyDictionary<Lane, int> RemainingByLane => _remainingByLane;

    public void OnEnqueuedUnsynchronized(Job job)
    {
        Submitted++;
        Queued++;
        _remainingByLane[job.Lane] = _remainingByLane.GetValueOrDefault(job.Lane) + 1;
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

        int left = _remainingByLane[job.Lane] - 1;
        if (left == 0)
        {
            _remainingByLane.Remove(job.Lane);
        }
        else
        {
            _remainingByLane[job.Lane] = left;
        }

        Throughput.Record(now);
    }
}
