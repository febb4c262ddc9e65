namespace Pacer.Bench.Targets;

/// <summary>
/// The BCL idiom: <c>await sem.WaitAsync(); try { await work(); } finally { sem.Release(); }</c>
/// started from the loop for each job. No rate limit.
/// </summary>
internal sealed class SemaphoreTarget : IBenchTarget
{
    private readonly SemaphoreSlim _semaphore;
    private readonly CompletionCounter _counter = new();

    public SemaphoreTarget(Limits limits)
    {
        if (limits.StartsPerSecond is not null)
        {
            throw new NotSupportedException("SemaphoreSlim has no rate limit.");
        }

        _semaphore = new SemaphoreSlim(limits.Concurrency, limits.Concurrency);
    }

    public string Lib => "semaphore";

    public string Library => "SemaphoreSlim (BCL)";

    public string Version => Environment.Version.ToString();

    public void Add(Func<ValueTask> work)
    {
        _counter.OnAdded();
        _ = RunAsync(work);
    }

    public Task WhenAllAsync() => _counter.EndAdding();

    public ValueTask DisposeAsync()
    {
        _semaphore.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(Func<ValueTask> work)
    {
        await _semaphore.WaitAsync().ConfigureAwait(false);
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            _semaphore.Release();
        }

        _counter.OnCompleted();
    }
}
