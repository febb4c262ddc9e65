namespace Pacer.Tests.Scheduling;

/// <summary>Rule 7: the hot path allocates nothing per job beyond the job itself.</summary>
public class AllocationTests
{
    [Fact]
    public async Task BatchOfSynchronousJobs_AllocatesLittleMoreThanTheJobsThemselves()
    {
        InlineContinuations.Enable();
        await using var engine = new PacerEngine(new PacerOptions { TimeProvider = new SteppedTimeProvider() });
        engine.AddLane("a", new LaneOptions { PeriodMargin = TimeSpan.Zero, MaxConcurrency = 100, Rates = { RateLimit.PerSecond(1_000_000, burst: 1_000_000) } });
        var options = new BatchOptions { JobOptions = new JobOptions { Lane = "a" } };
        const int Jobs = 20_000;
        Batch<int> warmUp = engine.CreateBatch<int>(options);
        for (int i = 0; i < Jobs; i++)
        {
            warmUp.Add(Pacer.Tests.Jobs.Instant);
        }

        Batch<int> batch = engine.CreateBatch<int>(options);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Jobs; i++)
        {
            batch.Add(Pacer.Tests.Jobs.Instant);
        }

        long perJob = (GC.GetAllocatedBytesForCurrentThread() - before) / Jobs;

        // The job object and its slot in the batch's list come to about 300 bytes; a task, a token
        // source, a closure or a record per job would each add another 100 or more.
        Assert.InRange(perJob, 1, 400);
        Assert.Equal(Jobs, (await batch.WhenAllAsync().DefaultTimeout()).Succeeded);
    }
}
