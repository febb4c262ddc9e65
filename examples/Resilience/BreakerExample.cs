namespace Pacer.Examples;

/// <summary>A lane whose service is down opens its circuit, fails fast, probes, and closes when the service is back.</summary>
internal static class BreakerExample
{
    public static async Task RunAsync()
    {
        bool serviceUp = false;
        await using var engine = new PacerEngine();
        engine.AddLane("search", new LaneOptions
        {
            CircuitBreaker = new CircuitBreakerOptions
            {
                ConsecutiveFailures = 3,
                BreakDuration = TimeSpan.FromMilliseconds(300),
                FailFastWhenOpen = true,
            },
        });
        engine.LaneChanged += (_, e) => Console.WriteLine($"  circuit {e.Circuit}");
        var options = new JobOptions { Lane = "search", Retry = RetryPolicy.None };
        Func<JobContext, ValueTask<string>> call = _ => serviceUp ? ValueTask.FromResult("ok") : throw new HttpRequestException("503");

        for (int i = 0; i < 5; i++)
        {
            try
            {
                await engine.RunAsync(call, options);
            }
            catch (Exception ex) when (ex is HttpRequestException or CircuitOpenException)
            {
                Console.WriteLine($"  call {i}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        serviceUp = true;
        await Task.Delay(350);
        Console.WriteLine($"breaker: after the break, the probe says {await engine.RunAsync(call, options)}; circuit {engine.GetLaneSnapshot("search").Circuit}");
    }
}
