using System.Diagnostics;
using Pacer.Bench.Measurements;
using Pacer.Bench.Targets;

namespace Pacer.Bench.Workloads;

/// <summary>
/// One of the fixed workloads W1–W4 of WORKLOADS.md: its job count, limits and body, and how it
/// is measured. Every job is handed over from one synchronous loop; the clock stops when the
/// library says the last one has completed.
/// </summary>
internal abstract class Workload
{
    public static IReadOnlyList<Workload> All { get; } = [new W1(), new W2(), new W3(), new W4()];

    public abstract string Name { get; }

    public abstract int DefaultJobs { get; }

    public abstract Limits Limits { get; }

    /// <summary>Runs the workload once on a fresh instance (two for W1: warm-up and measured) of <paramref name="lib"/>.</summary>
    public abstract Task<BenchResult> RunAsync(string lib, int jobs);

    protected IBenchTarget CreateTarget(string lib) => TargetFactory.Create(lib, Limits);

    protected BenchResult Describe(IBenchTarget target, int jobs) => new()
    {
        Workload = Name,
        Lib = target.Lib,
        Library = target.Library,
        Version = target.Version,
        Jobs = jobs,
        Concurrency = Limits.Concurrency,
        RatePerSecond = Limits.StartsPerSecond,
        PacerSpinMs = target is PacerTarget ? PacerTarget.SpinWait?.TotalMilliseconds : null,
        PeakRssMb = ProcessMemory.PeakResidentBytes() / (1024.0 * 1024.0),
    };

    protected static double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;
}
