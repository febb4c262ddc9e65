using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BdnJob = BenchmarkDotNet.Jobs.Job;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Pacer.Bench.Micro;

/// <summary>
/// Runs the BenchmarkDotNet micro-benchmarks of this assembly through <see cref="BenchmarkSwitcher"/>,
/// with <see cref="MemoryDiagnoser"/> and a short job run in this process (no generated project to
/// build), so that a full run takes a few minutes. Reports go to bench/BenchmarkDotNet.Artifacts.
/// </summary>
internal static class MicroBenchmarks
{
    public static void Run(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddJob(BdnJob.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(ArtifactsPath());
        BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args, config);
    }

    /// <summary>bench/BenchmarkDotNet.Artifacts of the repository the command runs in, else BenchmarkDotNet's default.</summary>
    private static string ArtifactsPath()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "bench", "Pacer.Bench")))
            {
                return Path.Combine(dir.FullName, "bench", "BenchmarkDotNet.Artifacts");
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
    }
}
