using System.Diagnostics;
using Pacer.Bench.Measurements;
using Pacer.Bench.Targets;

namespace Pacer.Bench.Workloads;

/// <summary>
/// W3, rate accuracy: 3,000 jobs that each await a 10 ms timer, at concurrency 100 and 500 starts/s.
/// The bound is jobs ÷ 500 (6.0 s); efficiency = bound ÷ makespan. Each start is recorded with
/// <see cref="Stopwatch.GetTimestamp"/> in the job body; afterwards the most starts in any sliding
/// 1000 ms and 100 ms window are counted (a limit of 500/s with a burst of 1 allows 501 and 51).
/// </summary>
internal sealed class W3 : Workload
{
    public const int StartsPerSecond = 500;

    public static readonly TimeSpan BodyDelay = TimeSpan.FromMilliseconds(10);

    public override string Name => "W3";

    public override int DefaultJobs => 3_000;

    public override Limits Limits { get; } = new(Concurrency: 100, StartsPerSecond: StartsPerSecond);

    public override async Task<BenchResult> RunAsync(string lib, int jobs)
    {
        var starts = new StartRecorder(jobs);
        Func<ValueTask> body = async () =>
        {
            starts.Record();
            await Task.Delay(BodyDelay).ConfigureAwait(false);
        };

        IBenchTarget target = CreateTarget(lib);
        await using (target.ConfigureAwait(false))
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < jobs; i++)
            {
                target.Add(body);
            }

            long queued = Stopwatch.GetTimestamp();
            await target.WhenAllAsync().ConfigureAwait(false);
            long end = Stopwatch.GetTimestamp();

            if (starts.Count != jobs)
            {
                throw new InvalidOperationException($"{starts.Count} starts were recorded for {jobs} jobs.");
            }

            double makespan = Seconds(start, end);
            double bound = (double)jobs / StartsPerSecond;
            return Describe(target, jobs) with
            {
                JobsPerSecond = jobs / makespan,
                MakespanSeconds = makespan,
                BoundSeconds = bound,
                Efficiency = bound / makespan,
                MaxStarts1000Ms = starts.MaxStartsIn(TimeSpan.FromMilliseconds(1000)),
                MaxStarts100Ms = starts.MaxStartsIn(TimeSpan.FromMilliseconds(100)),
                EnqueueSeconds = Seconds(start, queued),
            };
        }
    }
}
