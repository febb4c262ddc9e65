namespace Pacer.Examples;

/// <summary>A lane told 100/s finds the 20/s a service really accepts, from its 429s alone.</summary>
internal static class AdaptiveExample
{
    public static async Task RunAsync()
    {
        var service = new BucketService(ratePerSecond: 20, burst: 5);
        await using var engine = new PacerEngine();
        engine.AddLane("api", new LaneOptions
        {
            MaxConcurrency = 50,
            Rates = { RateLimit.PerSecond(100) },   // the ceiling: what we were told
            Adaptive = new AdaptiveOptions(),       // find what the service really takes
        });
        engine.LaneChanged += (_, e) => Console.WriteLine($"  {e.Change}: now {e.Rate:0.0}/s");

        BatchResult<bool> result = await engine.RunBatchAsync(
            Enumerable.Range(0, 200),
            async (_, context) =>
            {
                await Task.Delay(20, context.CancellationToken);
                return service.TryCall()
                    ? true
                    : throw new RetryableException("429 Too Many Requests", TimeSpan.FromMilliseconds(200), isRateLimit: true);
            },
            new BatchOptions { JobOptions = new JobOptions { Lane = "api", Retry = new RetryPolicy { MaxAttempts = 20, BaseDelay = TimeSpan.FromMilliseconds(100) } } });

        LaneSnapshot lane = engine.GetLaneSnapshot("api");
        Console.WriteLine($"adaptive: {result.Succeeded}/200 succeeded, {service.Refused} answered 429, lane settled at {lane.AdaptiveRate:0.0}/s (service: 20/s)");
    }

    /// <summary>A service with a hidden token bucket.</summary>
    private sealed class BucketService(double ratePerSecond, double burst)
    {
        private readonly Lock _lock = new();
        private readonly long _start = TimeProvider.System.GetTimestamp();
        private readonly double _burst = burst;
        private double _tokens = burst;
        private double _last;

        public int Refused { get; private set; }

        public bool TryCall()
        {
            lock (_lock)
            {
                double now = TimeProvider.System.GetElapsedTime(_start).TotalSeconds;
                _tokens = Math.Min(_burst, _tokens + ((now - _last) * ratePerSecond));
                _last = now;
                if (_tokens >= 1)
                {
                    _tokens--;
                    return true;
                }

                Refused++;
                return false;
            }
        }
    }
}
