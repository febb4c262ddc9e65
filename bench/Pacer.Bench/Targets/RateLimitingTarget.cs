using System.Threading.RateLimiting;

namespace Pacer.Bench.Targets;

/// <summary>
/// System.Threading.RateLimiting: a <see cref="ConcurrencyLimiter"/> with an unbounded queue and,
/// when the workload has a start rate, a <see cref="TokenBucketRateLimiter"/> refilled by its timer
/// (5 tokens per 10 ms for 500/s) acquired after the concurrency permit.
/// </summary>
internal sealed class RateLimitingTarget : IBenchTarget
{
    private readonly ConcurrencyLimiter _concurrency;
    private readonly TokenBucketRateLimiter? _rate;
    private readonly CompletionCounter _counter = new();

    public RateLimitingTarget(Limits limits)
    {
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.Concurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        if (limits.StartsPerSecond is not null)
        {
            _rate = CreateTokenBucket(limits);
        }
    }

    public string Lib => "ratelimiting";

    public string Library => "System.Threading.RateLimiting";

    public string Version => LibraryInfo.VersionOf(typeof(ConcurrencyLimiter));

    public static TokenBucketRateLimiter CreateTokenBucket(Limits limits) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = limits.TokensPerBucketPeriod,
        TokensPerPeriod = limits.TokensPerBucketPeriod,
        ReplenishmentPeriod = Limits.BucketPeriod,
        AutoReplenishment = true,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public void Add(Func<ValueTask> work)
    {
        _counter.OnAdded();
        _ = RunAsync(work);
    }

    public Task WhenAllAsync() => _counter.EndAdding();

    public async ValueTask DisposeAsync()
    {
        await _concurrency.DisposeAsync().ConfigureAwait(false);
        if (_rate is not null)
        {
            await _rate.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync(Func<ValueTask> work)
    {
        using (RateLimitLease slot = await _concurrency.AcquireAsync(1).ConfigureAwait(false))
        {
            EnsureAcquired(slot);
            if (_rate is not null)
            {
                using RateLimitLease token = await _rate.AcquireAsync(1).ConfigureAwait(false);
                EnsureAcquired(token);
            }

            await work().ConfigureAwait(false);
        }

        _counter.OnCompleted();
    }

    private static void EnsureAcquired(RateLimitLease lease)
    {
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("A permit was refused; the queue limit is unbounded, so this should not happen.");
        }
    }
}
