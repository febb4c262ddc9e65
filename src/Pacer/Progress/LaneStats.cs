namespace Pacer;

/// <summary>Counters of one lane, its sub-lanes included. Guarded by the engine lock.</summary>
internal sealed class LaneStats(long timestampFrequency)
{
    public int Queued;
    public int WaitingToRetry;
    public long Succeeded;
    public long Failed;
    public long Cancelled;
    public long Retries;
    public long Attempts;

    /// <summary>Cost of every attempt started, for the average cost in capacity estimates.</summary>
    public long CostSum;

    public double AverageCost => Attempts == 0 ? 1 : (double)CostSum / Attempts;

    /// <summary>Moving average of attempt duration in seconds; 0 until the first attempt ends.</summary>
    public double LatencySeconds;

    public ThroughputMeter Throughput { get; } = new(timestampFrequency);

    public void RecordLatency(double seconds)
    {
        // An exponentially weighted average: recent attempts count most, one outlier does not swing the ETA.
        LatencySeconds = LatencySeconds == 0 ? seconds : (0.9 * LatencySeconds) + (0.1 * seconds);
    }
}
