using BenchmarkDotNet.Attributes;

namespace Pacer.Bench.Micro;

/// <summary>
/// Dispatch of queued jobs: at concurrency 1, a first job holds the slot while 1,000 synchronous
/// jobs queue behind it; then it is let go and the queue drains. Per job: joining the queue,
/// being started when the slot frees, and completing.
/// </summary>
public class DispatchBenchmark
{
    private const int Queued = 1_000;
    private const string LaneName = "one";

    private static readonly Func<JobContext, ValueTask<int>> s_work = static _ => new ValueTask<int>(1);
    private static readonly BatchOptions s_batchOptions = new() { JobOptions = new JobOptions { Lane = LaneName, Retry = RetryPolicy.None } };

    private SemaphoreSlim _semaphore = null!;
    private PacerEngine _engine = null!;
    private int _left;
    private TaskCompletionSource _drained = null!;

    [GlobalSetup]
    public void Setup()
    {
        _semaphore = new SemaphoreSlim(1, 1);
        _engine = new PacerEngine();
        _engine.AddLane(LaneName, new LaneOptions { MaxConcurrency = 1 });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _semaphore.Dispose();
        await _engine.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Queued)]
    public Task SemaphoreSlim()
    {
        _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _left = Queued;
        _semaphore.Wait();
        for (int i = 0; i < Queued; i++)
        {
            _ = RunQueuedAsync();
        }

        _semaphore.Release();
        return _drained.Task;
    }

    [Benchmark(OperationsPerInvoke = Queued)]
    public Task Pacer()
    {
        var gate = new TaskCompletionSource<int>();
        Batch<int> batch = _engine.CreateBatch<int>(s_batchOptions);
        batch.Add(_ => new ValueTask<int>(gate.Task));
        for (int i = 0; i < Queued; i++)
        {
            batch.Add(s_work);
        }

        gate.SetResult(0); // the held job ends here, and the queue drains on this thread
        return batch.WhenAllAsync();
    }

    private async Task RunQueuedAsync()
    {
        await _semaphore.WaitAsync();
        try
        {
            await s_work(default);
        }
        finally
        {
            _semaphore.Release();
        }

        if (Interlocked.Decrement(ref _left) == 0)
        {
            _drained.SetResult();
        }
    }
}
