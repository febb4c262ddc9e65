using System.Diagnostics;
using System.Text.Json;
using Pacer.Simulator;
using Xunit.Abstractions;

namespace Pacer.Cli.Tests;

/// <summary>
/// Runs the built <c>pacer</c> as a real child process, kills it with SIGKILL halfway through a
/// run, and checks that <c>--resume</c> finishes the work without resending finished lines.
/// </summary>
public sealed class ResumeKillTests(ITestOutputHelper log)
{
    private const int Lines = 300;
    private const int Concurrency = 4;
    private const int Window = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);

    /// <summary>
    /// What is counted: the simulator has no limits and no faults, so every request it receives is
    /// answered 200 at the first attempt and <c>pacer</c> sends each line exactly once per run.
    /// Let N be the input lines, K the lines whose result was in out.jsonl when the first run was
    /// killed, S1 the requests the simulator had received by then (exact: the process is dead) and
    /// S2 the requests it had received when the resumed run ended.
    /// <list type="bullet">
    /// <item>R = S1 − K is the number of lines that were sent before the kill but had no result in
    /// the file yet: requests in flight, and in order mode finished results held back behind an
    /// earlier unfinished line. <c>pacer</c> reads at most <c>--window</c> lines past the oldest
    /// line without a result, so 0 ≤ R ≤ --window (4, equal to --concurrency here). These are the
    /// only lines whose request may reach the simulator twice.</item>
    /// <item>The resumed run must send every line without a result once and nothing else:
    /// S2 − S1 = N − K. Had it resent any of the K lines that already had a result, the count
    /// would be higher.</item>
    /// </list>
    /// </summary>
    [Fact]
    public async Task Sigkill_ThenResume_EveryLineOnce_AndNoFinishedLineIsResent()
    {
        using var cancellation = new CancellationTokenSource(Deadline);
        CancellationToken token = cancellation.Token;
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Latency = { Base = TimeSpan.FromMilliseconds(20) },
        });
        using var dir = new TempDir();
        string input = dir.File("input.jsonl");
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, Requests.Lines(Enumerable.Range(0, Lines).Select(i => Requests.Echo(host, i))), token);

        // First run: killed once roughly half the lines have results. Each write to the out file
        // wakes the check; the one-second bound only guards against a missed file event.
        using var watcher = new FileSystemWatcher(dir.Path, "out.jsonl") { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName };
        using var written = new SemaphoreSlim(0);
        watcher.Changed += (_, _) => written.Release();
        watcher.Created += (_, _) => written.Release();
        watcher.EnableRaisingEvents = true;
        using (Process first = StartPacer(input, output))
        {
            try
            {
                while (CountCompleteLines(output) < Lines / 2)
                {
                    Assert.False(first.HasExited, $"pacer exited with {(first.HasExited ? first.ExitCode : 0)} before it was killed");
                    await written.WaitAsync(TimeSpan.FromSeconds(1), token);
                }

                first.Kill(entireProcessTree: false);
                await first.WaitForExitAsync(token);
            }
            finally
            {
                Stop(first);
            }
        }

        // The client is gone; its connections close and the simulator's counters settle.
        await host.WaitForStatsAsync(s => s.Total.InFlight == 0, token);
        long sentBeforeKill = host.GetStats().Total.Requests;
        HashSet<long> doneBeforeKill = ReadIndexes(output, allowCutLastLine: true);
        Assert.InRange(doneBeforeKill.Count, Lines / 2, Lines - 1);
        long inFlightAtKill = sentBeforeKill - doneBeforeKill.Count;
        Assert.InRange(inFlightAtKill, 0, Window);

        // Second run: resumes to completion.
        using (Process second = StartPacer(input, output))
        {
            try
            {
                await second.WaitForExitAsync(token);
                Assert.Equal(0, second.ExitCode);
            }
            finally
            {
                Stop(second);
            }
        }

        await host.WaitForStatsAsync(s => s.Total.InFlight == 0, token);
        long sentAfterResume = host.GetStats().Total.Requests - sentBeforeKill;
        log.WriteLine($"lines {Lines}, with a result at the kill {doneBeforeKill.Count}, sent without a result at the kill {inFlightAtKill}, sent by the resumed run {sentAfterResume}");
        Assert.Equal(Lines - doneBeforeKill.Count, sentAfterResume);

        List<JsonElement> results = CliRun.ReadResults(await File.ReadAllTextAsync(output, token));
        Assert.Equal(Lines, results.Count);
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => (long)i), results.Select(r => r.GetProperty("index").GetInt64()).Order());
        Assert.All(results, r =>
        {
            Assert.True(r.GetProperty("ok").GetBoolean());
            Assert.Equal(r.GetProperty("index").GetInt64(), r.GetProperty("body").GetProperty("n").GetInt64());
        });
    }

    private static Process StartPacer(string input, string output)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Pacer.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} not found next to the test assembly");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[dll, "run", input, "--out", output, "--resume", "--concurrency", $"{Concurrency}", "--rps", "50", "--window", $"{Window}", "--progress", "none"])
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("pacer did not start");
        process.StandardInput.Close();
        // Drain both pipes so that the child never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The <c>dotnet</c> host running this test, so the child uses the same runtime.</summary>
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    /// <summary>Kills the process (the pacer process itself: <c>dotnet Pacer.Cli.dll</c> runs in the host's own process) if it still runs.</summary>
    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }

    private static int CountCompleteLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        int count = 0;
        int b;
        var buffer = new byte[64 * 1024];
        while ((b = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            count += buffer.AsSpan(0, b).Count((byte)'\n');
        }

        return count;
    }

    private static HashSet<long> ReadIndexes(string path, bool allowCutLastLine)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "";
        string[] lines = text.Split('\n');
        var indexes = new HashSet<long>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            bool last = i == lines.Length - 1;
            if (last && allowCutLastLine)
            {
                // Cut short by the kill: no newline, so not a result.
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(lines[i]);
            Assert.True(indexes.Add(document.RootElement.GetProperty("index").GetInt64()), $"index repeated in {path}");
        }

        return indexes;
    }
}
