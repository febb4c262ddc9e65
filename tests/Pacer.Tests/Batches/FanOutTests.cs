using Microsoft.Extensions.Time.Testing;

namespace Pacer.Tests.Batches;

public sealed class FanOutTests
{
    private const int PageSize = 250;
    private static readonly TimeSpan s_latency = TimeSpan.FromMilliseconds(300);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ThreeLevelListing_EveryItemOnceInOrder_WithinTwoPercentOfTheLimit()
    {
        InlineContinuations.Enable();
        int[][] suitesPerProject = [SuiteSizes(16, 19_000, seed: 1), SuiteSizes(15, 17_000, seed: 2)];
        var service = new DelayedService(_time, s_latency);
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        engine.AddLane("testrail", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 20, Rates = { RateLimit.PerMinute(180, burst: 20) } });
        Batch<int[]> batch = engine.CreateBatch<int[]>(new BatchOptions { JobOptions = new JobOptions { Lane = "testrail", Retry = RetryPolicy.None } });
        int firstCase = 0;
        foreach (int[] suites in suitesPerProject)
        {
            int projectFirst = firstCase;
            batch.Add(async context =>
            {
                await service.CallAsync().ConfigureAwait(false); // GET /projects/{id}/suites
                int suiteFirst = projectFirst;
                foreach (int cases in suites)
                {
                    int first = suiteFirst;
                    context.AddChild<int[]>(suite => SuiteAsync(suite, service, first, cases));
                    suiteFirst += cases;
                }

                return [];
            });
            firstCase += suites.Sum();
        }

        long start = _time.GetTimestamp();
        Task<BatchResult<int[]>> done = batch.WhenAllAsync();
        while (!done.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(5));
            service.Deliver();
        }

        BatchResult<int[]> result = await done;
        TimeSpan makespan = _time.GetElapsedTime(start);
        Assert.True(result.AllSucceeded);
        Assert.Equal(Enumerable.Range(0, 36_000), result.Items.SelectMany(i => i.Value!));
        int requests = service.Calls;
        Assert.Equal(2 + suitesPerProject.SelectMany(s => s).Sum(cases => (cases + PageSize - 1) / PageSize), requests);

        // 20 start at once; the rest at 3 a second; the last answer comes one latency after the last start.
        TimeSpan bound = TimeSpan.FromSeconds((requests - 20) / 3.0) + s_latency;
        Assert.True(makespan >= bound - TimeSpan.FromMilliseconds(5), $"makespan {makespan} under the bound {bound}: the limit was broken");
        Assert.True(makespan <= bound * 1.02, $"makespan {makespan} for {requests} requests; the limit allows {bound}");

        JobTreeProgress project = batch.GetTreeProgress(0);
        Assert.Equal(1 + 16 + suitesPerProject[0].Sum(cases => (cases + PageSize - 1) / PageSize - 1), project.Total);
        Assert.Equal(project.Total, project.Succeeded);
        Assert.Equal([0, 1, 2], result.Items.Select(i => i.Depth).Distinct().Order());
    }

    [Fact]
    public async Task LevelProgress_IsTrueWhileTheTreeRuns_AndGrowsAsLevelsFanOut()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        Batch<int> batch = engine.CreateBatch<int>();
        var suitesMayList = new TaskCompletionSource();
        for (int project = 0; project < 2; project++)
        {
            batch.Add(context =>
            {
                for (int suite = 0; suite < 3; suite++)
                {
                    context.AddChild<int>(async suiteContext =>
                    {
                        await suitesMayList.Task;
                        suiteContext.AddChild<int>(_ => ValueTask.FromResult(1));
                        suiteContext.AddChild<int>(_ => ValueTask.FromResult(2));
                        return 0;
                    });
                }

                return ValueTask.FromResult(0);
            });
        }

        // The projects have listed their suites; the suites wait: no case exists yet.
        Assert.Equal([new LevelProgress(0, 2, 2, 0, 0), new LevelProgress(1, 6, 0, 0, 0)], batch.GetLevelProgress());
        Assert.Equal(6, batch.GetLevelProgress()[1].Pending);

        batch.CompleteAdding();
        suitesMayList.SetResult();
        await batch.WhenAllAsync().DefaultTimeout();

        Assert.Equal([new LevelProgress(0, 2, 2, 0, 0), new LevelProgress(1, 6, 6, 0, 0), new LevelProgress(2, 12, 12, 0, 0)], batch.GetLevelProgress());
    }

    [Fact]
    public async Task ParentAwaitingItsChildren_GetsTheirResultsInOrder()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        Batch<int> batch = engine.CreateBatch<int>();
        batch.Add(async context =>
        {
            for (int i = 1; i <= 3; i++)
            {
                int n = i;
                context.AddChild<int>(_ => ValueTask.FromResult(n * 10));
            }

            IReadOnlyList<JobResult<int>> children = await context.WhenChildrenAsync<int>();
            return children.Sum(c => c.Value);
        });

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();

        Assert.Equal([60, 10, 20, 30], result.Items.Select(i => i.Value));
        Assert.Equal([-1, 0, 0, 0], result.Items.Select(i => i.ParentIndex));
    }

    [Theory]
    [InlineData(ChildFailureMode.Partial, JobState.Succeeded)]
    [InlineData(ChildFailureMode.FailParent, JobState.Failed)]
    public async Task ChildFailure_GivesPartialResultsOrFailsTheParent(ChildFailureMode mode, JobState parentState)
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        Batch<int> batch = engine.CreateBatch<int>(new BatchOptions { ChildFailure = mode, JobOptions = new JobOptions { Retry = RetryPolicy.None } });
        batch.Add(context =>
        {
            context.AddChild<int>(_ => ValueTask.FromResult(1));
            context.AddChild<int>(Jobs.Failing(() => new PermanentException("page 2 is gone")));
            return ValueTask.FromResult(0);
        });

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();

        Assert.Equal(parentState, result.Items[0].State);
        Assert.Equal(JobState.Succeeded, result.Items[1].State);
        JobResult<int> failedChild = Assert.Single(result.Errors, e => e.Index == 2);
        Assert.Equal("page 2 is gone", failedChild.Error!.Message);
        if (mode == ChildFailureMode.FailParent)
        {
            Assert.Equal([2], Assert.IsType<ChildJobsFailedException>(result.Items[0].Error).FailedIndexes);
        }
    }

    [Fact]
    public async Task ChildrenWithTheSameKey_RunOnce_AndTheirResultAppearsOnce_WhereFirstAdded()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        Batch<int> batch = engine.CreateBatch<int>();
        int runs = 0;
        var indexes = new List<int>();

        // Two pages of a listing that shifted between reads: item 3 is on both.
        batch.Add(context =>
        {
            int[][] pages = [[1, 2, 3], [3, 4, 5]];
            foreach (int[] page in pages)
            {
                foreach (int item in page)
                {
                    indexes.Add(context.AddChild<int>(_ =>
                    {
                        Interlocked.Increment(ref runs);
                        return ValueTask.FromResult(item);
                    }, options: new JobOptions { IdempotencyKey = $"case-{item}" }));
                }
            }

            return ValueTask.FromResult(0);
        });
        batch.CompleteAdding();

        BatchResult<int> result = await batch.WhenAllAsync().DefaultTimeout();

        Assert.Equal(5, runs);
        Assert.Equal([0, 1, 2, 3, 4, 5], result.Items.Select(i => i.Value));
        Assert.Equal([1, 2, 3, 3, 4, 5], indexes);
    }

    [Fact]
    public async Task AddChild_OutsideABatchOfThatType_SaysSo()
    {
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.RunAsync(context =>
        {
            context.AddChild<int>(_ => ValueTask.FromResult(1));
            return ValueTask.FromResult(0);
        }, new JobOptions { Retry = RetryPolicy.None }).DefaultTimeout());

        Assert.Equal("Only a job of a Batch<Int32> can add children of that type.", error.Message);
    }

    private static async ValueTask<int[]> SuiteAsync(JobContext context, DelayedService service, int first, int cases)
    {
        await service.CallAsync().ConfigureAwait(false); // GET /suites/{id}/cases?offset=0&limit=250 (its answer carries the total)
        for (int offset = PageSize; offset < cases; offset += PageSize)
        {
            int pageFirst = first + offset;
            int count = Math.Min(PageSize, cases - offset);
            context.AddChild<int[]>(async _ =>
            {
                await service.CallAsync().ConfigureAwait(false);
                return [.. Enumerable.Range(pageFirst, count)];
            });
        }

        return [.. Enumerable.Range(first, Math.Min(PageSize, cases))];
    }

    private static int[] SuiteSizes(int suites, int total, int seed)
    {
        var random = new Random(seed);
        double[] weights = [.. Enumerable.Range(0, suites).Select(_ => 0.2 + random.NextDouble())];
        int[] sizes = [.. weights.Select(w => (int)(total * w / weights.Sum()))];
        sizes[^1] += total - sizes.Sum();
        return sizes;
    }

    /// <summary>A service that answers every call after a fixed latency, delivered on the test thread.</summary>
    private sealed class DelayedService(FakeTimeProvider time, TimeSpan latency)
    {
        private readonly PriorityQueue<TaskCompletionSource, DateTimeOffset> _pending = new();

        public int Calls { get; private set; }

        public Task CallAsync()
        {
            Calls++;
            var answer = new TaskCompletionSource();
            _pending.Enqueue(answer, time.GetUtcNow() + latency);
            return answer.Task;
        }

        public void Deliver()
        {
            while (_pending.TryPeek(out TaskCompletionSource? answer, out DateTimeOffset due) && due <= time.GetUtcNow())
            {
                _pending.Dequeue();
                answer.SetResult();
            }
        }
    }
}
