namespace Pacer.Tests.Scheduling;

/// <summary>
/// Jobs in a tree of lanes and in a batch, with work that succeeds, fails for good, fails to be
/// retried, or hangs until its timeout, and cancels at random moments: after every step of the
/// clock, each lane counts exactly the jobs of its subtree in each state, and the batch exactly its
/// own. The lifecycle's own check (<see cref="JobLifecycle.Holds"/>) runs after every move meanwhile.
/// </summary>
public class JobLifecyclePropertyTests
{
    private static readonly string[] s_leaves = ["api/chat", "api/embed", "search"];

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (int seed = 0; seed < 12; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task EveryLaneAndTheBatch_CountEachStateExactly_AfterEveryStep(int seed)
    {
        InlineContinuations.Enable();
        var rng = new Random(seed);
        var time = new SteppedTimeProvider();
        var retry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 };
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = time, Random = new Random(seed), DefaultRetry = retry });
        engine.AddLane("api", new LaneOptions { MaxConcurrency = 4 });
        engine.AddLane("api/chat", new LaneOptions { MaxConcurrency = 2, Rates = { RateLimit.PerSecond(50, burst: 2) } });
        engine.AddLane("api/embed", new LaneOptions { MaxConcurrency = 3 });
        engine.AddLane("search", new LaneOptions { Rates = { RateLimit.PerSecond(100, burst: 5) } });
        Batch<int> batch = engine.CreateBatch<int>();

        var jobs = new List<(long Id, string Lane, Func<JobState> State, Action Cancel)>();
        for (int i = 0; i < 120; i++)
        {
            string lane = s_leaves[rng.Next(s_leaves.Length)];
            int kind = rng.Next(4);
            TimeSpan latency = TimeSpan.FromMilliseconds(rng.Next(1, 40));
            var options = new JobOptions { Lane = lane, Timeout = TimeSpan.FromMilliseconds(60) };
            Func<JobContext, ValueTask<int>> work = async context =>
            {
                await After(time, kind == 3 ? Timeout.InfiniteTimeSpan : latency, kind == 3 ? context.CancellationToken : CancellationToken.None);
                return kind switch
                {
                    0 => 1,
                    1 => throw new PermanentException("no"),
                    _ => throw new RetryableException("again"),
                };
            };
            if (i % 3 == 0)
            {
                int index = batch.Add(work, options);
                jobs.Add((batch.GetJobId(index), lane, () => batch.JobAt(index).State, () => batch.Cancel(index)));
            }
            else
            {
                JobHandle<int> handle = engine.Submit(work, options);
                jobs.Add((handle.Id, lane, () => handle.State, handle.Cancel));
            }
        }

        batch.CompleteAdding();
        for (int step = 0; step < 2000 && !jobs.All(j => j.State() is JobState.Succeeded or JobState.Failed or JobState.Cancelled); step++)
        {
            if (rng.Next(10) == 0)
            {
                jobs[rng.Next(jobs.Count)].Cancel();
            }

            time.AdvanceStepwise(TimeSpan.FromMilliseconds(rng.Next(1, 15)));
            // Under the engine's lock no job moves (work may end on another thread meanwhile).
            engine.ReadUnderLock(() => Verify(engine, batch, jobs.Select(j => (j.Lane, j.State())).ToList(), seed, step));
        }

        Assert.All(jobs, j => Assert.True(j.State() is JobState.Succeeded or JobState.Failed or JobState.Cancelled, $"seed {seed}: job {j.Id} is {j.State()}"));
    }

    /// <summary>
    /// Ends after <paramref name="delay"/> on <paramref name="time"/>, or when <paramref name="token"/>
    /// is cancelled, with its continuations inline on the clock's thread: so that every step of the
    /// clock has run all it set off before the step is checked (Task.Delay continues on the pool).
    /// </summary>
    private static Task After(TimeProvider time, TimeSpan delay, CancellationToken token)
    {
        var done = new TaskCompletionSource();
        ITimer? timer = delay == Timeout.InfiniteTimeSpan ? null : time.CreateTimer(_ => done.TrySetResult(), null, delay, Timeout.InfiniteTimeSpan);
        CancellationTokenRegistration cancel = token.Register(() => done.TrySetCanceled(token));
        return done.Task.ContinueWith(
            t =>
            {
                timer?.Dispose();
                cancel.Dispose();
                return t;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    private static bool Verify(PacerEngine engine, Batch<int> batch, List<(string Lane, JobState State)> jobs, int seed, int step)
    {
        foreach (string lane in (string[])["api", "api/chat", "api/embed", "search"])
        {
            var mine = jobs.Where(j => j.Lane == lane || j.Lane.StartsWith(lane + "/", StringComparison.Ordinal)).ToList();
            LaneSnapshot s = engine.GetLaneSnapshot(lane);
            string where = $"seed {seed}, step {step}, lane {lane}";
            Assert.True(mine.Count(j => j.State == JobState.Queued) == s.Queued, $"{where}: queued {s.Queued}, jobs {mine.Count(j => j.State == JobState.Queued)}");
            Assert.True(mine.Count(j => j.State == JobState.WaitingToRetry) == s.WaitingToRetry, $"{where}: waiting {s.WaitingToRetry}");
            Assert.True(mine.Count(j => j.State == JobState.Succeeded) == s.Succeeded, $"{where}: succeeded {s.Succeeded}");
            Assert.True(mine.Count(j => j.State == JobState.Failed) == s.Failed, $"{where}: failed {s.Failed}");
            Assert.True(mine.Count(j => j.State == JobState.Cancelled) == s.Cancelled, $"{where}: cancelled {s.Cancelled}");
        }

        BatchSnapshot b = batch.GetSnapshot();
        Assert.Equal(b.Total, b.Queued + b.Running + b.WaitingToRetry + b.Succeeded + b.Failed + b.Cancelled);
        var inBatch = jobs.Where((_, i) => i % 3 == 0).ToList();
        Assert.True(inBatch.Count(j => j.State == JobState.Queued) == b.Queued, $"seed {seed}, step {step}: the batch counts {b.Queued} queued");
        Assert.True(inBatch.Count(j => j.State == JobState.Running) == b.Running, $"seed {seed}, step {step}: the batch counts {b.Running} running");
        Assert.True(inBatch.Count(j => j.State == JobState.WaitingToRetry) == b.WaitingToRetry, $"seed {seed}, step {step}: the batch counts {b.WaitingToRetry} waiting");
        Assert.True(inBatch.Count(j => j.State == JobState.Cancelled) == b.Cancelled, $"seed {seed}, step {step}: the batch counts {b.Cancelled} cancelled");
        return true;
    }
}
