using System.Diagnostics;
using System.Text;
using Pacer.Simulator;
using Xunit.Abstractions;

namespace Pacer.Cli.Tests;

/// <summary>
/// Once results can no longer be written, nothing more is sent: a request sent then would have
/// no result, and <c>--resume</c> would send it again. What was sent is judged on the server's side.
/// </summary>
public sealed class WriteFailureTests(ITestOutputHelper log)
{
    private const int Lines = 300;

    [Fact]
    public async Task OnAFullDisk_NothingMoreIsSent_AndTheRunExits2()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string input = await WriteInputAsync(dir, host, Lines);

        // Paced, so that the bound below does not depend on how fast this machine gets to the first write.
        CliRun run = await CliRun.InvokeAsync(["run", input, "--out", "/dev/full", "--concurrency", "4", "--rps", "10", "--progress", "none"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Results could not be written to '/dev/full' (No space left on device", run.Error, StringComparison.Ordinal);
        await host.WaitForStatsAsync(s => s.Total.InFlight == 0).DefaultTimeout();
        // The first result's flush fails: sent are the first request, and those started (100 ms
        // apart) before its failure was seen, which leaves a loaded machine 2 s to see it.
        // Without the stop, all 300 would be.
        long sent = host.GetStats().Total.Requests;
        log.WriteLine($"sent {sent} of {Lines}");
        Assert.InRange(sent, 1, 20);
    }

    [Fact]
    public async Task OnAFullDisk_TheFailureIsOneClearLine_WithoutAStackTrace()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string input = await WriteInputAsync(dir, host, 20);

        CliRun run = await CliRun.InvokeAsync(["run", input, "--out", "/dev/full", "--progress", "none"]);

        Assert.Equal(2, run.ExitCode);
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.Contains("No space left on device", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The out file is a pipe the test reads: it keeps the first lines, then closes its end, and the
    /// next write fails (EPIPE) as a full disk's would. Let K be the results the test kept, S1 the
    /// requests the service had when the first run ended, S2 those the resumed run sent. Only what
    /// was in flight, or written into the pipe after the test's last read, was sent without its
    /// result being kept: S1 − K stays small. The resumed run sends every line without a result
    /// and nothing else: S2 = N − K.
    /// </summary>
    [Fact]
    public async Task AfterAWriteFailure_ResumeSendsOnlyTheLinesWithoutAResult()
    {
        const int Count = 100;
        const int Kept = 10;
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string input = await WriteInputAsync(dir, host, Count);
        string pipe = dir.File("out.pipe");
        using (Process mkfifo = Process.Start("mkfifo", [pipe]))
        {
            await mkfifo.WaitForExitAsync().DefaultTimeout();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opening a pipe waits for its other end: the run opens it to write, the test to read.
        Task<CliRun> first = Task.Run(() => CliRun.InvokeAsync(["run", input, "--out", pipe, "--concurrency", "2", "--rps", "10", "--progress", "none"]));
        var kept = new StringBuilder();
        await Task.Run(async () =>
        {
            using var reader = new StreamReader(new FileStream(pipe, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            for (int i = 0; i < Kept; i++)
            {
                kept.Append(await reader.ReadLineAsync()).Append('\n');
            }
        }).DefaultTimeout();

        CliRun failed = await first.DefaultTimeout();
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("Results could not be written", failed.Error, StringComparison.Ordinal);
        await host.WaitForStatsAsync(s => s.Total.InFlight == 0).DefaultTimeout();
        long sentFirst = host.GetStats().Total.Requests;
        log.WriteLine($"first run: {Kept} results kept, {sentFirst} sent");
        Assert.InRange(sentFirst - Kept, 0, 10);

        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(output, kept.ToString());
        CliRun resumed = await CliRun.InvokeAsync(["run", input, "--out", output, "--resume", "--progress", "none"]);

        Assert.Equal(0, resumed.ExitCode);
        await host.WaitForStatsAsync(s => s.Total.InFlight == 0).DefaultTimeout();
        Assert.Equal(Count - Kept, host.GetStats().Total.Requests - sentFirst);
        Assert.Equal(Count, CliRun.ReadResults(await File.ReadAllTextAsync(output)).Count);
    }

    private static async Task<string> WriteInputAsync(TempDir dir, SimulatorHost host, int count)
    {
        string input = dir.File("in.jsonl");
        await File.WriteAllTextAsync(input, Requests.Lines(Enumerable.Range(0, count).Select(i => Requests.Echo(host, i))));
        return input;
    }
}
