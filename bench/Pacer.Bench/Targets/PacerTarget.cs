namespace Pacer.Bench.Targets;

/// <summary>
/// Pacer as a user runs many jobs: one lane with the workload's limits, one batch
/// (<see cref="Batch{T}.Add(Func{JobContext, ValueTask{T}}, JobOptions?)"/>, then
/// <see cref="Batch{T}.WhenAllAsync"/>), no retries.
/// </summary>
internal sealed class PacerTarget : IBenchTarget
{
    private const string LaneName = "w";

    private readonly PacerEngine _engine;
    private readonly Batch<bool> _batch;
    private Func<ValueTask>? _lastWork;
    private Func<JobContext, ValueTask<bool>>? _lastJob;

    public PacerTarget(Limits limits)
    {
        _engine = new PacerEngine(new PacerOptions());
        var lane = new LaneOptions { MaxConcurrency = limits.Concurrency };
        if (limits.StartsPerSecond is { } rate)
        {
            lane.Rates.Add(RateLimit.PerSecond(rate, burst: 1));
        }

        _engine.AddLane(LaneName, lane);
        _batch = _engine.CreateBatch<bool>(new BatchOptions { JobOptions = new JobOptions { Lane = LaneName, Retry = RetryPolicy.None } });
    }

    public string Lib => "pacer";

    public string Library => "Pacer";

    public string Version => LibraryInfo.VersionOf(typeof(PacerEngine));

    public void Add(Func<ValueTask> work)
    {
        // One Pacer delegate per distinct work delegate, so that adding a job allocates only what Pacer does.
        if (!ReferenceEquals(work, _lastWork))
        {
            _lastWork = work;
            _lastJob = _ => Adapt(work());
        }

        _batch.Add(_lastJob!);
    }

    public async Task WhenAllAsync()
    {
        BatchResult<bool> result = await _batch.WhenAllAsync().ConfigureAwait(false);
        if (!result.AllSucceeded)
        {
            throw new InvalidOperationException("A Pacer job did not succeed.");
        }
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private static ValueTask<bool> Adapt(ValueTask pending) =>
        pending.IsCompletedSuccessfully ? new ValueTask<bool>(true) : AwaitAsync(pending);

    private static async ValueTask<bool> AwaitAsync(ValueTask pending)
    {
        await pending.ConfigureAwait(false);
        return true;
    }
}
