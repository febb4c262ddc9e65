using System.Globalization;
using Pacer.Bench.Micro;
using Pacer.Bench.Targets;
using Pacer.Bench.Workloads;

namespace Pacer.Bench;

/// <summary>
/// <c>Pacer.Bench W1|W2|W3|W4 [--lib pacer|semaphore|parallel|ratelimiting|polly] [--jobs N]</c>
/// runs one workload once and prints one JSON line (<c>--pacer-spin-ms</c> sets Pacer's SpinWait,
/// for diagnosis only); <c>Pacer.Bench micro [BenchmarkDotNet args]</c>
/// runs the micro-benchmarks; <c>Pacer.Bench shared-acquire …</c> times a shared lane's decisions
/// (<see cref="Sharing.SharedAcquire"/>); <c>Pacer.Bench store-throughput …</c> counts jobs a second
/// through the PostgreSQL job store (<see cref="Sharing.StoreThroughput"/>).
/// </summary>
internal static class Program
{
    private const int UsageError = 2;
    private const int Unsupported = 3;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "shared-acquire")
        {
            return await Sharing.SharedAcquire.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "shared-acquire-child")
        {
            return await Sharing.SharedAcquire.RunChildAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "store-throughput")
        {
            return await Sharing.StoreThroughput.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "micro")
        {
            MicroBenchmarks.Run(args[1..]);
            return 0;
        }

        if (!TryParse(args, out Workload? workload, out string lib, out int jobs, out string? error))
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return UsageError;
        }

        try
        {
            Measurements.BenchResult result = await workload.RunAsync(lib, jobs).ConfigureAwait(false);
            Console.Out.WriteLine(result.ToJsonLine());
            return 0;
        }
        catch (NotSupportedException ex)
        {
            await Console.Error.WriteLineAsync($"{workload.Name} --lib {lib} skipped: {ex.Message}").ConfigureAwait(false);
            return Unsupported;
        }
    }

    private static string Usage =>
        $"usage: Pacer.Bench W1|W2|W3|W4 [--lib {string.Join('|', TargetFactory.Names)}] [--jobs N] [--pacer-spin-ms MS]\n" +
        "       Pacer.Bench micro [--filter *] [other BenchmarkDotNet options]";

    private static bool TryParse(
        string[] args, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Workload? workload, out string lib, out int jobs, out string? error)
    {
        workload = null;
        lib = "pacer";
        jobs = 0;
        error = null;
        int? jobsOverride = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--lib" or "--jobs" or "--pacer-spin-ms")
            {
                if (i + 1 >= args.Length)
                {
                    error = $"{arg} needs a value.";
                    return false;
                }

                string value = args[++i];
                if (arg == "--lib")
                {
                    lib = value.ToLowerInvariant();
                }
                else if (arg == "--pacer-spin-ms")
                {
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) || ms < 0)
                    {
                        error = $"--pacer-spin-ms must be a number of milliseconds, got '{value}'.";
                        return false;
                    }

                    PacerTarget.SpinWait = TimeSpan.FromMilliseconds(ms);
                }
                else if (int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0)
                {
                    jobsOverride = n;
                }
                else
                {
                    error = $"--jobs must be a positive integer, got '{value}'.";
                    return false;
                }
            }
            else if (workload is null && Workload.All.FirstOrDefault(w => string.Equals(w.Name, arg, StringComparison.OrdinalIgnoreCase)) is { } w)
            {
                workload = w;
            }
            else
            {
                error = $"Unexpected argument '{arg}'.";
                return false;
            }
        }

        if (workload is null)
        {
            error = "Name a workload: W1, W2, W3 or W4.";
            return false;
        }

        if (!TargetFactory.Names.Contains(lib))
        {
            error = $"Unknown library '{lib}'.";
            return false;
        }

        jobs = jobsOverride ?? workload.DefaultJobs;
        return true;
    }
}
