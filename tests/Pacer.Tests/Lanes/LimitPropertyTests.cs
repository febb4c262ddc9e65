using System.Globalization;

namespace Pacer.Tests.Lanes;

/// <summary>
/// Rule 1 on random workloads: random lane trees with random limits, random jobs (cost, priority,
/// duration, arrival, flaky first attempts), run on fake time. Every attempt's start is recorded,
/// and every limit is checked in sliding windows that begin at each start.
/// </summary>
public class LimitPropertyTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (int seed = 0; seed < 150; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Limits_NeverExceededInAnyWindow_RandomWorkloads(int seed)
    {
        InlineContinuations.Enable();
        var rng = new Random(seed);
        var time = new SteppedTimeProvider();
        long origin = time.GetTimestamp();
        await using var engine = new PacerEngine(new PacerOptions
        {
            TimeProvider = time,
            Random = new Random(seed),
            DefaultRetry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(50), Jitter = 0.5 },
        });
        List<LaneSpec> lanes = RandomLanes(rng);
        foreach (LaneSpec lane in lanes)
        {
            engine.AddLane(lane.Name, lane.Options);
        }

        var running = lanes.ToDictionary(l => l.Name, _ => 0);
        var violations = new List<string>();
        var starts = new List<Start>();
        int jobCount = rng.Next(20, 70);
        var tasks = new Task<int>?[jobCount];
        for (int i = 0; i < jobCount; i++)
        {
            int index = i;
            LaneSpec lane = lanes[rng.Next(lanes.Count)];
            string[] path = Path(lane.Name);
            long cost = rng.Next(4) == 0 ? 0 : rng.Next(1, 8);
            var options = new JobOptions { Lane = lane.Name, Cost = cost, Priority = rng.Next(-2, 3) };
            TimeSpan duration = rng.Next(3) == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(rng.NextInt64(1, 3_000_000));
            bool flaky = rng.Next(6) == 0;
            TimeSpan arrival = rng.Next(2) == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(rng.NextInt64(1, 30_000_000));

            async ValueTask<int> Work(JobContext context)
            {
                lock (starts)
                {
                    starts.Add(new Start(time.GetTimestamp() - origin, path, cost));
                    foreach (string name in path)
                    {
                        if (++running[name] > (lanes.Single(l => l.Name == name).Options.MaxConcurrency ?? int.MaxValue))
                        {
                            violations.Add($"{running[name]} running in '{name}' at {time.GetTimestamp() - origin} ticks");
                        }
                    }
                }

                try
                {
                    if (flaky && context.Attempt == 1)
                    {
                        throw new RetryableException("flaky");
                    }

                    if (duration > TimeSpan.Zero)
                    {
                        await time.CompleteAfter(duration, 0);
                    }

                    return index;
                }
                finally
                {
                    lock (starts)
                    {
                        foreach (string name in path)
                        {
                            running[name]--;
                        }
                    }
                }
            }

            if (arrival == TimeSpan.Zero)
            {
                tasks[index] = engine.RunAsync(Work, options);
            }
            else
            {
                time.CreateTimer(_ => tasks[index] = engine.RunAsync(Work, options), null, arrival, Timeout.InfiniteTimeSpan);
            }
        }

        bool finished = time.AdvanceUntil(() => tasks.All(t => t is { IsCompleted: true }), TimeSpan.FromHours(2));

        Assert.True(finished, $"seed {seed}: jobs still unfinished after two hours of fake time");
        int[] results = await Task.WhenAll(tasks!).DefaultTimeout();
        Assert.Equal(Enumerable.Range(0, jobCount), results);
        Assert.Empty(violations);
        foreach (LaneSpec lane in lanes)
        {
            Start[] inLane = [.. starts.Where(s => s.Path.Contains(lane.Name)).OrderBy(s => s.At)];
            foreach (RateLimit rate in lane.Options.Rates)
            {
                AssertWindows(lane.Name, rate, inLane, s => 1, extraBurst: 1);
            }

            foreach (RateLimit rate in lane.Options.CostRates)
            {
                // A job costlier than the burst may start on a full bucket, so it bounds the overshoot instead.
                long biggest = inLane.Select(s => s.Cost).DefaultIfEmpty(0).Max();
                AssertWindows(lane.Name, rate, inLane, s => s.Cost, extraBurst: biggest);
            }

            if (lane.Options.Quota is { RefillEvery: { } every } quota)
            {
                foreach (IGrouping<long, Start> period in inLane.GroupBy(s => s.At / every.Ticks))
                {
                    long spent = period.Sum(s => quota.CountsCost ? s.Cost : 1);
                    long allowed = Math.Max(quota.Limit, period.Max(s => quota.CountsCost ? s.Cost : 1));
                    Assert.True(spent <= allowed, $"seed {seed}: lane '{lane.Name}' spent {spent} of quota {quota.Limit} in refill period {period.Key}");
                }
            }
        }
    }

    [Fact]
    public async Task Concurrency_NeverExceeded_WhileManyThreadsSubmitAndComplete()
    {
        var limits = new Dictionary<string, int> { ["p"] = 4, ["p/a"] = 2, ["p/b"] = 3, ["q"] = 1 };
        await using var engine = new PacerEngine();
        foreach ((string name, int max) in limits)
        {
            engine.AddLane(name, new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = max });
        }

        string[] leaves = ["p", "p/a", "p/b", "q"];
        var running = limits.Keys.ToDictionary(k => k, _ => 0);
        int violations = 0;

        async ValueTask<int> Work(JobContext context)
        {
            string[] path = Path(context.Lane);
            lock (running)
            {
                foreach (string name in path)
                {
                    if (++running[name] > limits[name])
                    {
                        violations++;
                    }
                }
            }

            await Task.Yield();
            lock (running)
            {
                foreach (string name in path)
                {
                    running[name]--;
                }
            }

            return 1;
        }

        Task<int[]>[] submitters =
        [
            .. Enumerable.Range(0, 4).Select(t => Task.Run(() =>
            {
                var rng = new Random(t);
                return Task.WhenAll(Enumerable.Range(0, 250).Select(_ => engine.RunAsync(Work, new JobOptions { Lane = leaves[rng.Next(leaves.Length)] })));
            })),
        ];

        int[][] results = await Task.WhenAll(submitters).DefaultTimeout();
        Assert.All(results, r => Assert.Equal(250, r.Sum()));
        Assert.Equal(0, violations);
        Assert.All(engine.GetSnapshot().Lanes, l => Assert.Equal(0, l.Running));
    }

    private static void AssertWindows(string lane, RateLimit rate, Start[] starts, Func<Start, long> units, long extraBurst)
    {
        long period = rate.Period.Ticks;
        long[] windows = [(period + rate.Permits - 1) / rate.Permits, period / 2, period, 3 * period, 10 * period];
        long burst = Math.Max(rate.Burst, extraBurst);
        foreach (long window in windows.Where(w => w > 0))
        {
            for (int i = 0; i < starts.Length; i++)
            {
                long spent = 0;
                for (int j = i; j < starts.Length && starts[j].At < starts[i].At + window; j++)
                {
                    spent += units(starts[j]);
                }

                // spent ≤ Permits × w ÷ Period + Burst, kept in integers.
                Int128 left = (Int128)spent * period;
                Int128 right = ((Int128)rate.Permits * window) + ((Int128)burst * period);
                Assert.True(
                    left <= right,
                    $"lane '{lane}', rate {rate}: {spent} units in the {window}-tick window from tick {starts[i].At}");
            }
        }
    }

    private static List<LaneSpec> RandomLanes(Random rng)
    {
        var lanes = new List<LaneSpec>();
        int roots = rng.Next(1, 4);
        for (int r = 0; r < roots; r++)
        {
            string root = "l" + r.ToString(CultureInfo.InvariantCulture);
            lanes.Add(new LaneSpec(root, RandomOptions(rng)));
            int children = rng.Next(0, 3);
            for (int c = 0; c < children; c++)
            {
                string child = root + "/c" + c.ToString(CultureInfo.InvariantCulture);
                lanes.Add(new LaneSpec(child, RandomOptions(rng)));
                if (rng.Next(4) == 0)
                {
                    lanes.Add(new LaneSpec(child + "/g", RandomOptions(rng)));
                }
            }
        }

        return lanes;
    }

    private static LaneOptions RandomOptions(Random rng)
    {
        var options = new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = rng.Next(3) == 0 ? null : rng.Next(1, 5) };
        int rates = rng.Next(0, 3);
        for (int i = 0; i < rates; i++)
        {
            options.Rates.Add(new RateLimit(rng.Next(1, 20), TimeSpan.FromTicks(rng.NextInt64(100_000, 20_000_000)), rng.Next(1, 6)));
        }

        if (rng.Next(3) == 0)
        {
            options.CostRates.Add(new RateLimit(rng.Next(5, 100), TimeSpan.FromTicks(rng.NextInt64(1_000_000, 20_000_000)), rng.Next(1, 30)));
        }

        if (rng.Next(5) == 0)
        {
            options.Quota = new QuotaOptions
            {
                Limit = rng.Next(1, 10),
                RefillEvery = TimeSpan.FromTicks(rng.NextInt64(5_000_000, 30_000_000)),
                CountsCost = rng.Next(2) == 0,
            };
        }

        return options;
    }

    private static string[] Path(string lane)
    {
        string[] segments = lane.Split('/');
        return [.. Enumerable.Range(1, segments.Length).Select(n => string.Join('/', segments.Take(n)))];
    }

    private sealed record LaneSpec(string Name, LaneOptions Options);

    private sealed record Start(long At, string[] Path, long Cost);
}
