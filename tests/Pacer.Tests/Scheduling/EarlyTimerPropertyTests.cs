using System.Globalization;

namespace Pacer.Tests.Scheduling;

/// <summary>
/// Timers may fire before their due time as the engine's clock reads it (on Linux a
/// System.Threading timer can fire while the Stopwatch-based timestamp is still a little short).
/// On a clock whose timers all fire a seeded random amount early, every job still ends, and no
/// rule is broken early: no timeout before its time, no retry before its not-before, no start
/// above a rate, inside a pause or an open circuit's break, or past a quota.
/// </summary>
public class EarlyTimerPropertyTests
{
    private static readonly TimeSpan s_mostEarly = TimeSpan.FromMilliseconds(2);

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (int seed = 0; seed < 8; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Timeouts_TimersFiringEarly_EveryJobEnds_NoAttemptTimesOutOrRetriesEarly(int seed)
    {
        InlineContinuations.Enable();
        var rng = new Random(seed);
        SteppedTimeProvider time = SteppedTimeProvider.FiringEarly(seed, s_mostEarly);
        var retry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(3), MaxDelay = TimeSpan.FromMilliseconds(10), Jitter = 0 };
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = time, Random = new Random(seed) });
        var never = new TaskCompletionSource<int>();
        const int jobCount = 400;
        var starts = new List<long>[jobCount];
        var ends = new long[jobCount];
        var timeouts = new long[jobCount];
        var indexOf = new Dictionary<long, int>();
        engine.JobFinished += (_, e) => ends[indexOf[e.JobId]] = time.GetTimestamp();
        var tasks = new Task<int>[jobCount];
        for (int i = 0; i < jobCount; i++)
        {
            int index = i;
            starts[i] = [];
            TimeSpan timeout = TimeSpan.FromTicks(rng.NextInt64(TimeSpan.TicksPerMillisecond, 30 * TimeSpan.TicksPerMillisecond));
            timeouts[i] = timeout.Ticks;
            JobHandle<int> job = engine.Submit(
                _ =>
                {
                    starts[index].Add(time.GetTimestamp());
                    return new ValueTask<int>(never.Task); // work that never returns
                },
                new JobOptions { Timeout = timeout, Retry = rng.Next(2) == 0 ? RetryPolicy.None : retry });
            indexOf.Add(job.Id, index);
            tasks[i] = job.Task;
        }

        bool finished = time.AdvanceUntil(() => tasks.All(t => t.IsCompleted), TimeSpan.FromMinutes(10));

        Assert.True(time.EarlyFirings > 0, $"seed {seed}: no timer fired early");
        Assert.True(finished, $"seed {seed}: {tasks.Count(t => !t.IsCompleted)} of {jobCount} jobs never ended");
        Assert.All(tasks, t => Assert.IsType<TimeoutException>(t.Exception?.InnerException));
        for (int i = 0; i < jobCount; i++)
        {
            for (int a = 1; a < starts[i].Count; a++)
            {
                long notBefore = starts[i][a - 1] + timeouts[i] + retry.Backoff(a, 0).Ticks;
                Assert.True(starts[i][a] >= notBefore, $"seed {seed}: job {i} attempt {a + 1} began {notBefore - starts[i][a]} ticks early");
            }

            long timedOutAt = starts[i][^1] + timeouts[i];
            Assert.True(ends[i] >= timedOutAt, $"seed {seed}: job {i} timed out {timedOutAt - ends[i]} ticks before its timeout");
        }
    }

    public static TheoryData<int> LaneSeeds()
    {
        var seeds = new TheoryData<int>();
        for (int seed = 0; seed < 40; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(LaneSeeds))]
    public async Task Lanes_TimersFiringEarly_EveryJobEnds_NoStartBeforeItsTime(int seed)
    {
        InlineContinuations.Enable();
        var rng = new Random(seed);
        SteppedTimeProvider time = SteppedTimeProvider.FiringEarly(seed, s_mostEarly);
        long origin = time.GetTimestamp();
        var retry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200), Jitter = 0.5 };
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = time, Random = new Random(seed), DefaultRetry = retry });
        var lanes = new Dictionary<string, LaneOptions>();
        for (int r = 0; r < 3; r++)
        {
            string root = "l" + r.ToString(CultureInfo.InvariantCulture);
            lanes.Add(root, RandomOptions(rng));
            if (rng.Next(2) == 0)
            {
                lanes.Add(root + "/c", RandomOptions(rng));
            }
        }

        foreach ((string name, LaneOptions options) in lanes)
        {
            engine.AddLane(name, options);
        }

        // One log in the order things happened: every continuation runs inline on this thread.
        var log = new List<Entry>();
        engine.LaneChanged += (_, e) =>
        {
            if (e.Change == LaneChange.Circuit && e.Circuit == CircuitState.Open)
            {
                log.Add(new Entry(time.GetTimestamp() - origin, e.Lane, Kind.BreakFor, lanes[e.Lane].CircuitBreaker!.BreakDuration.Ticks));
            }
        };

        int jobCount = 60;
        var tasks = new Task<int>?[jobCount];
        var notBefore = new long[jobCount];
        var early = new List<string>();
        string[] names = [.. lanes.Keys];
        for (int i = 0; i < jobCount; i++)
        {
            int index = i;
            string lane = names[rng.Next(names.Length)];
            int behaviour = rng.Next(6);
            TimeSpan wait = TimeSpan.FromTicks(rng.NextInt64(TimeSpan.TicksPerMillisecond, 80 * TimeSpan.TicksPerMillisecond));
            TimeSpan duration = rng.Next(2) == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(rng.NextInt64(1, 20 * TimeSpan.TicksPerMillisecond));
            long cost = rng.Next(1, 5);
            TimeSpan arrival = rng.Next(2) == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(rng.NextInt64(1, 300 * TimeSpan.TicksPerMillisecond));

            async ValueTask<int> Work(JobContext context)
            {
                long now = time.GetTimestamp() - origin;
                log.Add(new Entry(now, lane, Kind.Start, cost));
                if (now < notBefore[index])
                {
                    early.Add($"seed {seed}: job {index} attempt {context.Attempt} began {notBefore[index] - now} ticks before its retry-after");
                }

                if (duration > TimeSpan.Zero)
                {
                    await time.CompleteAfter(duration, 0);
                }

                if (context.Attempt == 1 && behaviour == 0)
                {
                    // The service asks the whole lane to wait.
                    log.Add(new Entry(time.GetTimestamp() - origin, lane, Kind.PauseFor, wait.Ticks));
                    context.ReportHints(new OutcomeHints { RateLimited = true, RetryAfter = wait });
                }
                else if (context.Attempt == 1 && behaviour == 1)
                {
                    notBefore[index] = time.GetTimestamp() - origin + wait.Ticks;
                    throw new RetryableException("busy", wait);
                }
                else if (context.Attempt <= 2 && behaviour == 2)
                {
                    // The least backoff the jitter can draw.
                    notBefore[index] = time.GetTimestamp() - origin + retry.Backoff(context.Attempt, 0).Ticks;
                    throw new RetryableException("flaky");
                }
                else if (behaviour == 3 && context.Attempt == 1)
                {
                    throw new PermanentException("broken"); // counts toward a breaker
                }

                return index;
            }

            var options = new JobOptions { Lane = lane, Cost = cost, Priority = rng.Next(-1, 2) };
            if (arrival == TimeSpan.Zero)
            {
                tasks[index] = engine.RunAsync(Work, options);
            }
            else
            {
                time.CreateTimer(_ => tasks[index] = engine.RunAsync(Work, options), null, arrival, Timeout.InfiniteTimeSpan);
            }
        }

        bool finished = time.AdvanceUntil(() => tasks.All(t => t is { IsCompleted: true }), TimeSpan.FromHours(1));

        Assert.True(time.EarlyFirings > 0, $"seed {seed}: no timer fired early");
        Assert.True(finished, $"seed {seed}: {tasks.Count(t => t is not { IsCompleted: true })} of {jobCount} jobs never ended");
        Assert.Empty(early);
        foreach ((string name, LaneOptions options) in lanes)
        {
            AssertLane(seed, name, options, log);
        }
    }

    /// <summary>No start in the lane (or below it) inside a pause or a break, above a rate, or past a quota.</summary>
    private static void AssertLane(int seed, string name, LaneOptions options, List<Entry> log)
    {
        bool InLane(Entry e) => e.Lane == name || e.Lane.StartsWith(name + "/", StringComparison.Ordinal);

        // Jobs started together run one after another, so one started in the same instant may log its
        // start after another's hint or failure: a pause or a break binds from the next instant on.
        var blockers = new List<Entry>();
        foreach (Entry e in log.Where(e => e.Kind is Kind.PauseFor or Kind.BreakFor ? e.Lane == name : InLane(e)))
        {
            if (e.Kind != Kind.Start)
            {
                blockers.Add(e);
            }
            else if (blockers.FirstOrDefault(b => e.At > b.At && e.At < b.At + b.Ticks) is { } blocker)
            {
                Assert.Fail($"seed {seed}: lane '{name}' started a job at tick {e.At}, within {blocker}");
            }
        }

        long[] starts = [.. log.Where(e => e.Kind == Kind.Start && InLane(e)).Select(e => e.At)];
        foreach (RateLimit rate in options.Rates)
        {
            long period = rate.Period.Ticks;
            for (int i = 0; i < starts.Length; i++)
            {
                int inWindow = starts.Skip(i).TakeWhile(s => s < starts[i] + period).Count();
                Assert.True(inWindow <= rate.Permits + rate.Burst, $"seed {seed}: lane '{name}', rate {rate}: {inWindow} starts in the period from tick {starts[i]}");
            }
        }

        long[] costs = [.. log.Where(e => e.Kind == Kind.Start && InLane(e)).Select(e => e.Ticks)];
        foreach (RateLimit rate in options.CostRates)
        {
            // A job costlier than the burst may start on a full bucket: it bounds the overshoot instead.
            long burst = Math.Max(rate.Burst, costs.DefaultIfEmpty(0).Max());
            for (int i = 0; i < starts.Length; i++)
            {
                long spent = costs.Skip(i).Take(starts.Skip(i).TakeWhile(s => s < starts[i] + rate.Period.Ticks).Count()).Sum();
                Assert.True(spent <= rate.Permits + burst, $"seed {seed}: lane '{name}', cost rate {rate}: {spent} spent in the period from tick {starts[i]}");
            }
        }

        if (options.Quota is { RefillEvery: { } every } quota)
        {
            foreach (IGrouping<long, long> refill in starts.GroupBy(s => s / every.Ticks))
            {
                Assert.True(refill.Count() <= quota.Limit, $"seed {seed}: lane '{name}' started {refill.Count()} of a quota of {quota.Limit} in refill period {refill.Key}");
            }
        }
    }

    private static LaneOptions RandomOptions(Random rng)
    {
        var options = new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = rng.Next(3) == 0 ? null : rng.Next(1, 4) };
        if (rng.Next(4) != 0)
        {
            options.Rates.Add(new RateLimit(rng.Next(1, 10), TimeSpan.FromTicks(rng.NextInt64(TimeSpan.TicksPerMillisecond, 100 * TimeSpan.TicksPerMillisecond)), rng.Next(1, 3)));
        }

        if (rng.Next(3) == 0)
        {
            options.CostRates.Add(new RateLimit(rng.Next(5, 20), TimeSpan.FromTicks(rng.NextInt64(10, 100) * TimeSpan.TicksPerMillisecond), rng.Next(2, 8)));
        }

        if (rng.Next(4) == 0)
        {
            options.Quota = new QuotaOptions { Limit = rng.Next(2, 6), RefillEvery = TimeSpan.FromTicks(rng.NextInt64(10, 200) * TimeSpan.TicksPerMillisecond) };
        }

        if (rng.Next(3) == 0)
        {
            options.CircuitBreaker = new CircuitBreakerOptions
            {
                ConsecutiveFailures = rng.Next(1, 3),
                BreakDuration = TimeSpan.FromTicks(rng.NextInt64(TimeSpan.TicksPerMillisecond, 100 * TimeSpan.TicksPerMillisecond)),
            };
        }

        return options;
    }

    private enum Kind
    {
        Start,
        PauseFor,
        BreakFor,
    }

    /// <summary>One thing that happened: a start (<see cref="Ticks"/> is its cost), or a pause or break of <see cref="Ticks"/>.</summary>
    private sealed record Entry(long At, string Lane, Kind Kind, long Ticks);
}
