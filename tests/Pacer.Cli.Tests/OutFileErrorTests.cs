namespace Pacer.Cli.Tests;

/// <summary>An out file that cannot be written is one clear line and exit 2, before anything is sent or any file truncated.</summary>
public sealed class OutFileErrorTests
{
    [Fact]
    public async Task OutInAMissingFolder_IsOneLine_Exit2_NothingSent()
    {
        await using RawHttpServer server = AnsweringServer();
        using var dir = new TempDir();
        string output = dir.File("missing/out.jsonl");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--out", output, "--progress", "none"], Line(server));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"Cannot write the out file '{output}': its folder '{dir.File("missing")}' does not exist.\n", run.Error);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task OutOntoAFolder_IsOneLine_Exit2_NothingSent()
    {
        await using RawHttpServer server = AnsweringServer();
        using var dir = new TempDir();

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--out", dir.Path, "--progress", "none"], Line(server));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"The out file '{dir.Path}' is a folder; give a file.\n", run.Error);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task OutOnAReadOnlyPlace_IsOneLine_Exit2_NothingSent()
    {
        await using RawHttpServer server = AnsweringServer();
        using var dir = new TempDir();
        using var readOnly = await ReadOnlyFolder.MakeAsync(dir.File("ro"));
        string output = Path.Combine(readOnly.Path, "out.jsonl");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--out", output, "--progress", "none"], Line(server));

        Assert.Equal(2, run.ExitCode);
        string error = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Cannot write the out file '{output}': its lock file cannot be made: ", error, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task AnExistingOutFileOnAReadOnlyPlace_IsNotTruncated_AndNothingIsSent()
    {
        await using RawHttpServer server = AnsweringServer();
        using var dir = new TempDir();
        string folder = dir.File("ro");
        Directory.CreateDirectory(folder);
        string output = Path.Combine(folder, "out.jsonl");
        const string Earlier = """{"index":0,"ok":true}""" + "\n";
        await File.WriteAllTextAsync(output, Earlier);
        using var readOnly = await ReadOnlyFolder.MakeAsync(folder);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--out", output, "--overwrite", "--progress", "none"], Line(server));

        Assert.Equal(2, run.ExitCode);
        string error = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Cannot write the out file '{output}': ", error, StringComparison.Ordinal);
        Assert.Equal(Earlier, await File.ReadAllTextAsync(output));
        Assert.Empty(server.Requests);
    }

    private static RawHttpServer AnsweringServer() => RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));

    private static string Line(RawHttpServer server) => Requests.Lines([$$"""{"url":"{{server.BaseUri}}"}"""]);
}
