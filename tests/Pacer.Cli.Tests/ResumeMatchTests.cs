using System.Text.Json;
using Pacer.Cli.Run;
using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary><c>--resume</c> matches results to input lines by index and by the fingerprint of the line's text.</summary>
public sealed class ResumeMatchTests
{
    [Fact]
    public async Task EachResult_CarriesTheFingerprintOfItsLine()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string[] lines = [Requests.Echo(host, 0), "{not json"];

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], Requests.Lines(lines));

        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(lines.Select(l => LineFingerprint.Format(LineFingerprint.Of(l))), results.Select(r => r.GetProperty("fingerprint").GetString()));
    }

    [Fact]
    public async Task Resume_WithAnotherInput_Exits2_NamingTheOutLineAndTheInputLine_AndSendsNothing()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string inputA = dir.File("a.jsonl");
        string inputB = dir.File("b.jsonl");
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(inputA, Requests.Lines(Enumerable.Range(0, 3).Select(i => Requests.Echo(host, i))));
        await File.WriteAllTextAsync(inputB, Requests.Lines(Enumerable.Range(10, 4).Select(i => Requests.Echo(host, i))));
        Assert.Equal(0, (await CliRun.InvokeAsync(["run", inputA, "--out", output, "--progress", "none"])).ExitCode);
        string written = await File.ReadAllTextAsync(output);
        long sent = host.GetStats().Total.Requests;

        CliRun run = await CliRun.InvokeAsync(["run", inputB, "--out", output, "--resume", "--progress", "none"]);

        Assert.Equal(2, run.ExitCode);
        string expected = LineFingerprint.Format(LineFingerprint.Of(Requests.Echo(host, 0)));
        string actual = LineFingerprint.Format(LineFingerprint.Of(Requests.Echo(host, 10)));
        Assert.Equal(
            $"'{output}' holds results of another input: its line 1 is the result of an input line with fingerprint {expected}, but line 1 of the input file '{inputB}' has fingerprint {actual}; 3 result(s) in all do not match their line. Nothing was sent. Resume with the input these results came from, or start over with --overwrite.\n",
            run.Error);
        Assert.Equal(sent, host.GetStats().Total.Requests);
        Assert.Equal(written, await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task Resume_WithAShorterInput_NamesTheResultPastItsEnd()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, Requests.Lines(Enumerable.Range(0, 3).Select(i => Requests.Echo(host, i))));
        Assert.Equal(0, (await CliRun.InvokeAsync(["run", input, "--out", output, "--progress", "none"])).ExitCode);
        await File.WriteAllTextAsync(input, Requests.Lines(Enumerable.Range(0, 2).Select(i => Requests.Echo(host, i))));

        CliRun run = await CliRun.InvokeAsync(["run", input, "--out", output, "--resume", "--progress", "none"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"its line 3 is the result of line 3, but the input file '{input}' has 2 lines", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_FromStdin_ChecksTheLinesToo()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");
        Assert.Equal(0, (await CliRun.InvokeAsync(["run", "-", "--out", output, "--progress", "none"], Requests.Lines([Requests.Echo(host, 0)]))).ExitCode);

        CliRun same = await CliRun.InvokeAsync(["run", "-", "--out", output, "--resume", "--progress", "none"], Requests.Lines([Requests.Echo(host, 0), Requests.Echo(host, 1)]));
        CliRun other = await CliRun.InvokeAsync(["run", "-", "--out", output, "--resume", "--progress", "none"], Requests.Lines([Requests.Echo(host, 5)]));

        Assert.Equal(0, same.ExitCode);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("line 1 of stdin", other.Error, StringComparison.Ordinal);
        Assert.Equal(2, host.GetStats().Total.Requests);
    }

    [Theory]
    [InlineData("""{"index":null,"ok":true}""")]
    [InlineData("""{"index":"1","ok":true}""")]
    [InlineData("""{"index":1.5,"ok":true}""")]
    [InlineData("""{"index":{"n":1},"ok":true}""")]
    [InlineData("""{"index":1,"ok":true,"fingerprint":42}""")]
    [InlineData("""{"index":1,"ok":true,"fingerprint":"not-hex-digits!!"}""")]
    public async Task Resume_TreatsAResultItCannotRead_AsALineWithoutAResult(string unreadable)
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, Requests.Lines(Enumerable.Range(0, 2).Select(i => Requests.Echo(host, i))));
        string done = """{"index":0,"id":0,"ok":true,"status":200,"attempts":1,"lane":"default","ms":3,"body":{"n":0},"error":null}""";
        await File.WriteAllTextAsync(output, done + "\n" + unreadable + "\n");

        CliRun run = await CliRun.InvokeAsync(["run", input, "--out", output, "--resume", "--progress", "none"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, host.GetStats().Total.Requests);
        Assert.Equal([0L, 1L], CliRun.ReadResults(await File.ReadAllTextAsync(output)).Select(r => r.GetProperty("index").GetInt64()));
    }
}
