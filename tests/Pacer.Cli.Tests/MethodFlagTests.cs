using System.Text.Json;
using Pacer.TestSupport;

namespace Pacer.Cli.Tests;

/// <summary>A method that cannot be sent is one clear line: exit 2 for the flag, an error result for a line.</summary>
public sealed class MethodFlagTests
{
    [Theory]
    [InlineData("GE T")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("GET\r\nX-A: 1")]
    [InlineData("PÖST")]
    public async Task BadMethodFlag_IsOneLineAndExit2_NothingSent_NoOutFileTouched(string method)
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        using var dir = new TempDir();
        string outPath = dir.File("out.jsonl");
        await File.WriteAllTextAsync(outPath, "{\"index\":0}\n");

        CliRun run = await CliRun.InvokeAsync(
            ["run", "-", "--url", new Uri(server.BaseUri, "x").ToString(), "--method", method, "--out", outPath, "--overwrite", "--progress", "none"], "{}\n");

        Assert.Equal(2, run.ExitCode);
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("--method must be an HTTP method such as GET or POST", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.ConnectionCount);
        Assert.Equal("{\"index\":0}\n", await File.ReadAllTextAsync(outPath));
    }

    [Theory]
    [InlineData("patch", "PATCH")]
    [InlineData("M-SEARCH", "M-SEARCH")]
    public async Task MethodFlag_ThatIsAToken_IsSentUppercased(string method, string sent)
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--url", new Uri(server.BaseUri, "x").ToString(), "--method", method, "--progress", "none"], "{}\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(sent, Assert.Single(server.Requests).Method);
    }

    [Theory]
    [InlineData("\"GE T\"")]
    [InlineData("\"\"")]
    [InlineData("7")]
    [InlineData("null")]
    public async Task BadMethodInALine_IsAnErrorForThatLine(string method)
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        string url = new Uri(server.BaseUri, "x").ToString();
        string input = Requests.Lines([$$"""{"url":"{{url}}","method":{{method}}}""", $$"""{"url":"{{url}}"}"""]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal($"line 1: \"method\" must be an HTTP method such as GET or POST, got {method}.", results[0].GetProperty("error").GetString());
        Assert.True(results[1].GetProperty("ok").GetBoolean());
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task HeaderFlagWithoutAColon_IsAUsageError_ThatDoesNotEchoIt()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--url", "http://127.0.0.1:1/x", "-H", "Authorization Bearer sk-no-colon-1", "--progress", "none"], "{}\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--header (the 1st given): must look like \"Name: value\"", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-no-colon-1", run.Error, StringComparison.Ordinal);
    }
}
