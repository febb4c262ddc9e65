namespace Pacer.Bench.Targets;

/// <summary>
/// Pacer as a user runs many jobs: one lane with the workload's limits and no retries. As
/// <c>pacer</c>, each job is an <see cref="PacerEngine.Submit{T}"/> whose completion is counted
/// in the work, as the baselines count theirs in their wrapper; as <c>pacer-batch</c>, all jobs go
/// into one <see cref="Batch{T}"/>, which keeps every job for its ordered results until the end.
/// </summary>
internal sealed class PacerTarget : IBenchTarget
{
    private const string LaneName = "w";

    private readonly PacerEngine _engine;
    private readonly JobOptions _jobOptions;
    private readonly Batch<bool>? _batch;
    private readonly CompletionCounter _counter = new();
    private Func<ValueTask>? _lastWork;
    private Func<JobContext, ValueTask<bool>>? _lastJob;

    public PacerTarget(Limits limits, bool useBatch)
    {
        _engine = new PacerEngine(new PacerOptions { SpinWait = SpinWait });
        var lane = new LaneOptions { MaxConcurrency = limits.Concurrency };
        if (limits.StartsPerSecond is { } rate)
        {
            lane.Rates.Add(RateLimit.PerSecond(rate, burst: 1));
        }

        _engine.AddLane(LaneName, lane);
        _jobOptions = new JobOptions { Lane = LaneName, Retry = RetryPolicy.None };
        _batch = useBatch ? _engine.CreateBatch<bool>(new BatchOptions { JobOptions = _jobOptions }) : null;
        Lib = useBatch ? "pacer-batch" : "pacer";
    }

    /// <summary>
    /// <see cref="PacerOptions.SpinWait"/> for diagnosis (<c>--pacer-spin-ms</c>); null, the default,
    /// keeps Pacer's own default.
    /// </summary>
    public static TimeSpan? SpinWait { get; set; }

    public string Lib { get; }

    public string Library => _batch is null ? "Pacer" : "Pacer (one batch)";

    public string Version => LibraryInfo.VersionOf(typeof(PacerEngine));

    public void Add(Func<ValueTask> work)
    {
        // One Pacer delegate per distinct work delegate, so that adding a job allocates only what Pacer does.
        if (!ReferenceEquals(work, _lastWork))
        {
            _lastWork = work;
            _lastJob = _batch is null ? _ => Counted(work()) : _ => Adapt(work());
        }

        if (_batch is null)
        {
            _counter.OnAdded();
            _engine.Submit(_lastJob!, _jobOptions);
        }
        else
        {
            _batch.Add(_lastJob!);
        }
    }

    public async Task WhenAllAsync()
    {
        if (_batch is null)
        {
            await _counter.EndAdding().ConfigureAwait(false);
            return;
        }

        BatchResult<bool> result = await _batch.WhenAllAsync().ConfigureAwait(false);
        if (!result.AllSucceeded)
        {
            throw new InvalidOperationException("A Pacer job did not succeed.");
        }
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private ValueTask<bool> Counted(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            _counter.OnCompleted();
            return new ValueTask<bool>(true);
        }

        return AwaitCountedAsync(pending);
    }

    private async ValueTask<bool> AwaitCountedAsync(ValueTask pending)
    {
        await pending.ConfigureAwait(false);
        _counter.OnCompleted();
        return true;
    }

    private static ValueTask<bool> Adapt(ValueTask pending) =>
        pending.IsCompletedSuccessfully ? new ValueTask<bool>(true) : AwaitAsync(pending);

    private static async ValueTask<bool> AwaitAsync(ValueTask pending)
    {
        await pending.ConfigureAwait(false);
        return true;
    }
}
