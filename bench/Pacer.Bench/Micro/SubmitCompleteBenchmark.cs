using BenchmarkDotNet.Attributes;

namespace Pacer.Bench.Micro;

/// <summary>
/// Submit and complete one synchronous job when a slot is free: the SemaphoreSlim idiom, Pacer's
/// <see cref="PacerEngine.Submit{T}"/> (one job and its task), and Pacer's batch (per job, in
/// batches of 1,000 added then awaited).
/// </summary>
public class SubmitCompleteBenchmark
{
    private const int BatchSize = 1_000;
    private const string LaneName = "w";

    private static readonly Func<JobContext, ValueTask<int>> s_work = static _ => new ValueTask<int>(1);
    private static readonly JobOptions s_options = new() { Lane = LaneName, Retry = RetryPolicy.None };
    private static readonly BatchOptions s_batchOptions = new() { JobOptions = s_options };

    private SemaphoreSlim _semaphore = null!;
    private PacerEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _semaphore = new SemaphoreSlim(64, 64);
        _engine = new PacerEngine();
        _engine.AddLane(LaneName, new LaneOptions { MaxConcurrency = 64 });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _semaphore.Dispose();
        await _engine.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> SemaphoreSlim()
    {
        await _semaphore.WaitAsync();
        try
        {
            return await s_work(default);
        }
        finally
        {
            _semaphore.Release();
        }
    }

    [Benchmark]
    public Task<int> PacerSubmit() => _engine.Submit(s_work, s_options).Task;

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task PacerBatch()
    {
        Batch<int> batch = _engine.CreateBatch<int>(s_batchOptions);
        for (int i = 0; i < BatchSize; i++)
        {
            batch.Add(s_work);
        }

        return batch.WhenAllAsync();
    }
}
