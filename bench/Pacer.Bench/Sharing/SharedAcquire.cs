using System.Diagnostics;
using System.Globalization;
using Pacer.Postgres;
using Pacer.Redis;

namespace Pacer.Bench.Sharing;

/// <summary>
/// How long a shared lane's decisions take with many processes contending for one lane:
/// <c>Pacer.Bench shared-acquire (--redis ADDRESS | --postgres CONNECTION) [--processes 8] [--seconds 5]</c>
/// starts that many copies of itself, each asking the store in a loop for one start of the same lane
/// (<see cref="ILaneState.ReserveStartsAsync"/>, at a rate no caller waits for) and for one
/// concurrency slot (<see cref="ILaneState.AcquireSlotsAsync"/>, given back after), and prints one
/// JSON line with the percentiles of all their calls together, in milliseconds.
/// </summary>
internal static class SharedAcquire
{
    private static readonly SharedRate[] s_rates = [new SharedRate(1_000_000, 1_000_000, 1_000)];

    public static async Task<int> RunAsync(string[] args)
    {
        string? redis = Value(args, "--redis");
        string? postgres = Value(args, "--postgres");
        int processes = int.Parse(Value(args, "--processes") ?? "8", CultureInfo.InvariantCulture);
        double seconds = double.Parse(Value(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        if ((redis is null) == (postgres is null))
        {
            await Console.Error.WriteLineAsync("shared-acquire: give --redis ADDRESS or --postgres CONNECTION").ConfigureAwait(false);
            return 2;
        }

        string lane = "bench-" + Guid.NewGuid().ToString("N");
        string self = Environment.ProcessPath!;
        string dll = typeof(SharedAcquire).Assembly.Location;
        var children = new List<Process>();
        for (int p = 0; p < processes; p++)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(dll);
            }

            foreach (string arg in (string[])["shared-acquire-child", redis is null ? "--postgres" : "--redis", redis ?? postgres!, "--lane", lane, "--seconds", seconds.ToString(CultureInfo.InvariantCulture)])
            {
                start.ArgumentList.Add(arg);
            }

            children.Add(Process.Start(start)!);
        }

        var reserve = new List<double>();
        var acquire = new List<double>();
        foreach (Process child in children)
        {
            string output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await child.WaitForExitAsync().ConfigureAwait(false);
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Split(' ');
                (parts[0] == "r" ? reserve : acquire).Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
            }

            child.Dispose();
        }

        reserve.Sort();
        acquire.Sort();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"store\":\"{(redis is null ? "postgres" : "redis")}\",\"processes\":{processes},\"seconds\":{seconds},\"reserve\":{Summary(reserve, seconds)},\"acquireSlot\":{Summary(acquire, seconds)}}}"));
        return 0;
    }

    public static async Task<int> RunChildAsync(string[] args)
    {
        string lane = Value(args, "--lane")!;
        double seconds = double.Parse(Value(args, "--seconds")!, CultureInfo.InvariantCulture);
        ILaneState state = Value(args, "--redis") is { } redis
            ? await RedisLaneState.ConnectAsync(redis).ConfigureAwait(false)
            : new PostgresLaneState(Value(args, "--postgres")!);
        string lease = $"{Environment.ProcessId}/slot";

        // Warm: connections, scripts, plans.
        for (int i = 0; i < 50; i++)
        {
            await state.ReserveStartsAsync(lane, s_rates, 1, 100_000, default).ConfigureAwait(false);
            await state.AcquireSlotsAsync(lane, 1_000, [lease], TimeSpan.FromSeconds(10), default).ConfigureAwait(false);
            await state.ReleaseSlotsAsync(lane, [lease], default).ConfigureAwait(false);
        }

        var lines = new System.Text.StringBuilder();
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            long a = Stopwatch.GetTimestamp();
            await state.ReserveStartsAsync(lane, s_rates, 1, 100_000, default).ConfigureAwait(false);
            long b = Stopwatch.GetTimestamp();
            await state.AcquireSlotsAsync(lane, 1_000, [lease], TimeSpan.FromSeconds(10), default).ConfigureAwait(false);
            long c = Stopwatch.GetTimestamp();
            await state.ReleaseSlotsAsync(lane, [lease], default).ConfigureAwait(false);
            lines.Append(CultureInfo.InvariantCulture, $"r {Stopwatch.GetElapsedTime(a, b).TotalMilliseconds:0.####}\n");
            lines.Append(CultureInfo.InvariantCulture, $"a {Stopwatch.GetElapsedTime(b, c).TotalMilliseconds:0.####}\n");
        }

        Console.Out.Write(lines.ToString());
        if (state is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static string Summary(List<double> sorted, double seconds) => sorted.Count == 0 ? "null" : string.Create(CultureInfo.InvariantCulture,
        $"{{\"calls\":{sorted.Count},\"perSecond\":{sorted.Count / seconds:0},\"p50Ms\":{At(sorted, 0.50):0.###},\"p90Ms\":{At(sorted, 0.90):0.###},\"p99Ms\":{At(sorted, 0.99):0.###}}}");

    private static double At(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    private static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
