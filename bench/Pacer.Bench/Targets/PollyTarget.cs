using System.Threading.RateLimiting;
using Polly;

namespace Pacer.Bench.Targets;

/// <summary>
/// Polly.Core: a <see cref="ResiliencePipeline"/> with the concurrency limiter of Polly.RateLimiting
/// (unbounded queue) and, when the workload has a start rate, a rate limiter on a
/// <see cref="TokenBucketRateLimiter"/> (5 tokens per 10 ms for 500/s).
/// </summary>
internal sealed class PollyTarget : IBenchTarget
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TokenBucketRateLimiter? _rate;
    private readonly CompletionCounter _counter = new();

    public PollyTarget(Limits limits)
    {
        ResiliencePipelineBuilder builder = new ResiliencePipelineBuilder().AddConcurrencyLimiter(limits.Concurrency, int.MaxValue);
        if (limits.StartsPerSecond is not null)
        {
            _rate = RateLimitingTarget.CreateTokenBucket(limits);
            builder.AddRateLimiter(_rate);
        }

        _pipeline = builder.Build();
    }

    public string Lib => "polly";

    public string Library => "Polly.Core concurrency limiter";

    public string Version => LibraryInfo.VersionOf(typeof(ResiliencePipeline));

    public void Add(Func<ValueTask> work)
    {
        _counter.OnAdded();
        _ = RunAsync(work);
    }

    public Task WhenAllAsync() => _counter.EndAdding();

    public async ValueTask DisposeAsync()
    {
        if (_rate is not null)
        {
            await _rate.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync(Func<ValueTask> work)
    {
        await _pipeline.ExecuteAsync(static (w, _) => w(), work, CancellationToken.None).ConfigureAwait(false);
        _counter.OnCompleted();
    }
}
