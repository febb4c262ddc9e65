using System.Diagnostics;
using Pacer.Bench.Measurements;
using Pacer.Bench.Targets;

namespace Pacer.Bench.Workloads;

/// <summary>
/// W2, concurrency accuracy: 20,000 jobs that each await a 50 ms timer, at concurrency 200. The
/// bound is ⌈jobs ÷ 200⌉ × 50 ms (5.0 s); efficiency = bound ÷ makespan. The body also times
/// its own timer, so that the timer's lateness can be told apart from the scheduler's:
/// <c>body_mean_ms</c>, and <c>efficiency_vs_body</c> = ⌈jobs ÷ 200⌉ × mean body time ÷ makespan.
/// </summary>
internal sealed class W2 : Workload
{
    public static readonly TimeSpan BodyDelay = TimeSpan.FromMilliseconds(50);

    public override string Name => "W2";

    public override int DefaultJobs => 20_000;

    public override Limits Limits { get; } = new(Concurrency: 200);

    public override async Task<BenchResult> RunAsync(string lib, int jobs)
    {
        long bodyTicks = 0;
        Func<ValueTask> body = async () =>
        {
            long begun = Stopwatch.GetTimestamp();
            await Task.Delay(BodyDelay).ConfigureAwait(false);
            Interlocked.Add(ref bodyTicks, Stopwatch.GetTimestamp() - begun);
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

            double makespan = Seconds(start, end);
            double waves = Math.Ceiling((double)jobs / Limits.Concurrency);
            double bound = waves * BodyDelay.TotalSeconds;
            double bodyMean = (double)Interlocked.Read(ref bodyTicks) / jobs / Stopwatch.Frequency;
            return Describe(target, jobs) with
            {
                JobsPerSecond = jobs / makespan,
                MakespanSeconds = makespan,
                BoundSeconds = bound,
                Efficiency = bound / makespan,
                BodyMeanMs = bodyMean * 1000,
                EfficiencyVsBody = waves * bodyMean / makespan,
                EnqueueSeconds = Seconds(start, queued),
            };
        }
    }
}
