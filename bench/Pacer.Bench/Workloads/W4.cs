using System.Diagnostics;
using Pacer.Bench.Measurements;
using Pacer.Bench.Targets;

namespace Pacer.Bench.Workloads;

/// <summary>
/// W4, memory per queued job: at concurrency 1, a first job holds the only slot until 1,000,000
/// more (whose body is completed) are queued behind it. A full GC precedes both readings of
/// resident memory (<c>/proc/self/status</c>) and of the managed heap, taken just before and just
/// after the queueing loop; each delta is divided by the jobs queued. Then the first job is let go
/// and the drain is timed until the last job has completed.
/// </summary>
internal sealed class W4 : Workload
{
    private static readonly Func<ValueTask> s_body = static () => default;

    public override string Name => "W4";

    public override int DefaultJobs => 1_000_000;

    public override Limits Limits { get; } = new(Concurrency: 1);

    public override async Task<BenchResult> RunAsync(string lib, int jobs)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IBenchTarget target = CreateTarget(lib);
        await using (target.ConfigureAwait(false))
        {
            target.Add(() => new ValueTask(gate.Task));

            ProcessMemory.ForceFullCollection();
            long rssBefore = ProcessMemory.ResidentBytes();
            long heapBefore = ProcessMemory.ManagedHeapBytes();

            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < jobs; i++)
            {
                target.Add(s_body);
            }

            long queued = Stopwatch.GetTimestamp();

            ProcessMemory.ForceFullCollection();
            long rssAfter = ProcessMemory.ResidentBytes();
            long heapAfter = ProcessMemory.ManagedHeapBytes();

            long released = Stopwatch.GetTimestamp();
            gate.SetResult();
            await target.WhenAllAsync().ConfigureAwait(false);
            long end = Stopwatch.GetTimestamp();

            double drain = Seconds(released, end);
            return Describe(target, jobs) with
            {
                JobsPerSecond = jobs / drain,
                BytesPerJobRss = (double)(rssAfter - rssBefore) / jobs,
                BytesPerJobHeap = (double)(heapAfter - heapBefore) / jobs,
                EnqueueSeconds = Seconds(start, queued),
                DrainSeconds = drain,
            };
        }
    }
}
