using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary>An out file that already holds results is kept unless the run is told what to do with it.</summary>
public sealed class OutFileTests
{
    [Fact]
    public async Task AnOutFileWithResults_IsNotReplaced_WithoutResumeOrOverwrite()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, Requests.Lines([Requests.Echo(host, 0), Requests.Echo(host, 1)]));
        const string earlier = """{"index":0,"id":0,"ok":true,"status":200,"attempts":1,"lane":"default","ms":5,"body":{"n":0},"error":null}""" + "\n";
        await File.WriteAllTextAsync(output, earlier);

        CliRun refused = await CliRun.InvokeAsync(["run", input, "--out", output, "--progress", "none"]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already holds results", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--resume", refused.Error, StringComparison.Ordinal);
        Assert.Equal(earlier, await File.ReadAllTextAsync(output));
        Assert.Equal(0, host.GetStats().Total.Requests);

        CliRun replaced = await CliRun.InvokeAsync(["run", input, "--out", output, "--overwrite", "--progress", "none"]);

        Assert.Equal(0, replaced.ExitCode);
        Assert.Equal([0L, 1L], CliRun.ReadResults(await File.ReadAllTextAsync(output)).Select(r => r.GetProperty("index").GetInt64()));
        Assert.Equal(2, host.GetStats().Total.Requests);
    }

    [Fact]
    public async Task AnEmptyOutFile_IsWritten()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(output, "");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--out", output, "--progress", "none"], Requests.Lines([Requests.Echo(host, 0)]));

        Assert.Equal(0, run.ExitCode);
        Assert.Single(CliRun.ReadResults(await File.ReadAllTextAsync(output)));
    }

    [Theory]
    [InlineData("--overwrite")]
    [InlineData("--overwrite", "--resume", "--out", "x.jsonl")]
    public async Task Overwrite_NeedsOut_AndIsNotResume(params string[] extra)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", .. extra], "");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--overwrite", run.Error, StringComparison.Ordinal);
    }
}
