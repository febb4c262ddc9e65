namespace Pacer.Bench.Targets;

/// <summary>
/// Pacer as a user runs many jobs: one lane with the workload's limits and no retries. As
/// <c>pacer</c>, each job is an <see cref="PacerEngine.Post"/> whose completion is counted in the
/// work, as the baselines count theirs in their wrapper; <c>pacer-submit</c> the same through
/// <see cref="PacerEngine.Submit{T}"/> (a handle per job); <c>pacer-batch</c> puts all jobs into one
/// <see cref="Batch{T}"/>, which keeps every job for its ordered results until the end.
/// </summary>
internal sealed class PacerTarget : IBenchTarget
{
    private const string LaneName = "w";

    private readonly PacerEngine _engine;
    private readonly JobOptions _jobOptions;
    private readonly Batch<bool>? _batch;
    private readonly bool _post;
    private Func<JobContext, ValueTask>? _lastPosted;
    private readonly CompletionCounter _counter = new();
    private Func<ValueTask>? _lastWork;
    private Func<JobContext, ValueTask<bool>>? _lastJob;

    public PacerTarget(Limits limits, string lib)
    {
        _engine = new PacerEngine(new PacerOptions { SpinWait = SpinWait });
        // W3 is an exact 500 starts a second for every library: no period margin.
        var lane = new LaneOptions { MaxConcurrency = limits.Concurrency, PeriodMargin = TimeSpan.Zero };
        if (limits.StartsPerSecond is { } rate)
        {
            lane.Rates.Add(RateLimit.PerSecond(rate, burst: 1));
        }

        _engine.AddLane(LaneName, lane);
        _jobOptions = new JobOptions { Lane = LaneName, Retry = RetryPolicy.None };
        _batch = lib == "pacer-batch" ? _engine.CreateBatch<bool>(new BatchOptions { JobOptions = _jobOptions }) : null;
        _post = lib == "pacer";
        Lib = lib;
    }

    /// <summary>
    /// <see cref="PacerOptions.SpinWait"/> for diagnosis (<c>--pacer-spin-ms</c>); null, the default,
    /// keeps Pacer's own default.
    /// </summary>
    public static TimeSpan? SpinWait { get; set; }

    public string Lib { get; }

    public string Library => Lib switch
    {
        "pacer-batch" => "Pacer (one batch)",
        "pacer-submit" => "Pacer (Submit)",
        _ => "Pacer",
    };

    public string Version => LibraryInfo.VersionOf(typeof(PacerEngine));

    public void Add(Func<ValueTask> work)
    {
        // One Pacer delegate per distinct work delegate, so that adding a job allocates only what Pacer does.
        if (!ReferenceEquals(work, _lastWork))
        {
            _lastWork = work;
            _lastJob = _batch is null ? _ => Counted(work()) : _ => Adapt(work());
            _lastPosted = _ => CountedPost(work());
        }

        if (_post)
        {
            _counter.OnAdded();
            _engine.Post(_lastPosted!, _jobOptions);
        }
        else if (_batch is null)
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

    private ValueTask CountedPost(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            _counter.OnCompleted();
            return default;
        }

        return new ValueTask(AwaitCountedAsync(pending).AsTask());
    }

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
