using Pacer.Cli.Progress;

namespace Pacer.Cli.Demo;

/// <summary>Runs the demo's jobs through an engine and shows progress and a summary on stderr.</summary>
internal sealed class DemoRunner(int jobs, int seed, string progressMode)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var engine = new PacerEngine();
        foreach (DemoLane lane in DemoLane.All)
        {
            engine.AddLane(lane.Name, lane.Limits);
        }

        var random = new Random(seed);
        var plan = new List<(DemoLane Lane, TimeSpan Latency, bool RateLimited)>(jobs);
        for (int i = 0; i < jobs; i++)
        {
            DemoLane lane = Pick(random.NextDouble());
            double latency = lane.MinLatency.TotalMilliseconds + (random.NextDouble() * (lane.MaxLatency - lane.MinLatency).TotalMilliseconds);
            plan.Add((lane, TimeSpan.FromMilliseconds(latency), random.NextDouble() < lane.RateLimitedRatio));
        }

        var retry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(2) };
        Dictionary<string, JobOptions> options = DemoLane.All.ToDictionary(l => l.Name, l => new JobOptions { Lane = l.Name, Retry = retry });
        Batch<int> batch = engine.CreateBatch<int>(cancellationToken: cancellationToken);
        long started = engine.TimeProvider.GetTimestamp();
        for (int i = 0; i < plan.Count; i++)
        {
            batch.Add(static async context =>
            {
                var (_, latency, rateLimited) = ((DemoLane, TimeSpan, bool))context.State!;
                await Task.Delay(latency, context.CancellationToken).ConfigureAwait(false);
                if (rateLimited && context.Attempt == 1)
                {
                    throw new RetryableException("429 Too Many Requests", TimeSpan.FromSeconds(1));
                }

                return context.Index;
            }, plan[i], options[plan[i].Lane.Name]);
        }

        var view = ProgressView.Create(progressMode, engine, batch);
        BatchResult<int> result = await view.RunUntilAsync(batch.WhenAllAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        TimeSpan wall = engine.TimeProvider.GetElapsedTime(started);
        SummaryView.Write(engine.GetSnapshot(), DemoLane.All.Select(l => l.Name), plan.GroupBy(p => p.Lane.Name).ToDictionary(g => g.Key, g => g.Count()), wall);
        return result.AllSucceeded ? 0 : 1;
    }

    private static DemoLane Pick(double u)
    {
        foreach (DemoLane lane in DemoLane.All)
        {
            if (u < lane.Share)
            {
                return lane;
            }

            u -= lane.Share;
        }

        return DemoLane.All[^1];
    }
}
