namespace Pacer.Cli.Tests;

/// <summary>One out file, one run at a time: a second run is refused before it sends or truncates anything, and names the first.</summary>
public sealed class OutFileLockTests
{
    private const string Earlier = """{"index":0,"id":0,"ok":true,"status":200,"attempts":1,"lane":"default","ms":5,"body":{"n":0},"error":null}""" + "\n";

    [Fact]
    public async Task ASecondRunOnTheSameOutFile_Exits2_NamingTheFirst_AndSendsAndTruncatesNothing()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.StallAsync());
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(input, Requests.Lines(Enumerable.Range(0, 2).Select(i => $$"""{"id":{{i}},"url":"{{new Uri(server.BaseUri, $"r/{i}")}}"}""")));
        await File.WriteAllTextAsync(output, Earlier);

        // The first run keeps line 0's result and waits on line 1, which is never answered.
        using PacerProcess first = PacerProcess.Start(PacerProcess.Input.Empty, "run", input, "--out", output, "--resume", "--progress", "none");
        await Eventually.HoldsAsync(() => server.Requests.Count == 1 || first.HasExited, "the first run's request", PacerProcess.Deadline);
        Assert.False(first.HasExited, first.Error);

        using PacerProcess second = PacerProcess.Start(PacerProcess.Input.Empty, "run", input, "--out", output, "--overwrite", "--progress", "none");

        Assert.Equal(2, await second.ExitCodeAsync());
        Assert.Contains($"'{output}' is being written by another pacer run (pid {first.Id})", second.Error, StringComparison.Ordinal);
        Assert.Equal(Earlier, await File.ReadAllTextAsync(output));
        Assert.Single(server.Requests);

        await first.SignalAsync("TERM");
        Assert.Equal(130, await first.ExitCodeAsync());
    }

    [Fact]
    public async Task TheLock_IsTakenForTheRun_AndItsFileGoesWithIt()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--out", output, "--progress", "none"], Requests.Lines([$$"""{"url":"{{server.BaseUri}}"}"""]));

        Assert.Equal(0, run.ExitCode);
        Assert.Single(CliRun.ReadResults(await File.ReadAllTextAsync(output)));
        Assert.False(File.Exists(output + ".lock"));
    }

    [Fact]
    public async Task ALockFileLeftByAKilledRun_HoldsNothing()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");
        await File.WriteAllTextAsync(output + ".lock", "pacer run, pid 999999\n");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--out", output, "--progress", "none"], Requests.Lines([$$"""{"url":"{{server.BaseUri}}"}"""]));

        Assert.Equal(0, run.ExitCode);
        Assert.Single(CliRun.ReadResults(await File.ReadAllTextAsync(output)));
    }
}
