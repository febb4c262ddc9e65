using System.Diagnostics;
using Pacer.Bench.Measurements;
using Pacer.Bench.Targets;

namespace Pacer.Bench.Workloads;

/// <summary>
/// W1, engine overhead: 1,000,000 jobs whose body returns an already-completed task, at
/// concurrency 64. A warm-up of 100,000 jobs first runs on a separate instance. Reports jobs/s
/// and peak RSS.
/// </summary>
internal sealed class W1 : Workload
{
    public const int WarmUpJobs = 100_000;

    private static readonly Func<ValueTask> s_body = static () => default;

    public override string Name => "W1";

    public override int DefaultJobs => 1_000_000;

    public override Limits Limits { get; } = new(Concurrency: 64);

    public override async Task<BenchResult> RunAsync(string lib, int jobs)
    {
        IBenchTarget warmUp = CreateTarget(lib);
        await using (warmUp.ConfigureAwait(false))
        {
            for (int i = 0; i < WarmUpJobs; i++)
            {
                warmUp.Add(s_body);
            }

            await warmUp.WhenAllAsync().ConfigureAwait(false);
        }

        ProcessMemory.ForceFullCollection();
        IBenchTarget target = CreateTarget(lib);
        await using (target.ConfigureAwait(false))
        {
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < jobs; i++)
            {
                target.Add(s_body);
            }

            long queued = Stopwatch.GetTimestamp();
            await target.WhenAllAsync().ConfigureAwait(false);
            long end = Stopwatch.GetTimestamp();

            double makespan = Seconds(start, end);
            return Describe(target, jobs) with
            {
                JobsPerSecond = jobs / makespan,
                MakespanSeconds = makespan,
                EnqueueSeconds = Seconds(start, queued),
                GcGen0 = GC.CollectionCount(0) - gen0,
                GcGen1 = GC.CollectionCount(1) - gen1,
                GcGen2 = GC.CollectionCount(2) - gen2,
            };
        }
    }
}
