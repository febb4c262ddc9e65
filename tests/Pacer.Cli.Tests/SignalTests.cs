using System.Text.Json;

namespace Pacer.Cli.Tests;

/// <summary>
/// A real <c>pacer run</c> reading stdin, stopped by a real signal: it ends at once, with a result
/// for every line it read, whether or not its input has ended.
/// </summary>
public sealed class SignalTests
{
    private const int Lines = 3;

    [Fact]
    public async Task Sigterm_WhileStdinStaysOpen_EndsTheRun_WithEveryLineReadCancelled_AndExits130()
    {
        await using RawHttpServer server = StallingServer();
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");
        using PacerProcess pacer = await StartWithLinesInFlightAsync(server, output);

        await pacer.SignalAsync("TERM");

        Assert.Equal(130, await pacer.ExitCodeAsync());
        List<JsonElement> results = CliRun.ReadResults(await File.ReadAllTextAsync(output));
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => (long)i), results.Select(r => r.GetProperty("index").GetInt64()));
        Assert.All(results, r => Assert.Equal("cancelled", r.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task ASecondSignal_WhileTheRunStops_NeitherCrashesNorCutsItShort()
    {
        await using RawHttpServer server = StallingServer();
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");
        using PacerProcess pacer = await StartWithLinesInFlightAsync(server, output);

        await pacer.SignalAsync("TERM");
        await pacer.SignalAsync("TERM");

        Assert.Equal(130, await pacer.ExitCodeAsync());
        Assert.DoesNotContain("Unhandled exception", pacer.Error, StringComparison.Ordinal);
        Assert.Equal(Lines, CliRun.ReadResults(await File.ReadAllTextAsync(output)).Count);
    }

    [Fact]
    public async Task Sigint_IsAnInterruptionToo()
    {
        await using RawHttpServer server = StallingServer();
        using var dir = new TempDir();
        string output = dir.File("out.jsonl");
        using PacerProcess pacer = await StartWithLinesInFlightAsync(server, output);

        await pacer.SignalAsync("INT");

        Assert.Equal(130, await pacer.ExitCodeAsync());
        Assert.Equal(Lines, CliRun.ReadResults(await File.ReadAllTextAsync(output)).Count);
    }

    [Fact]
    public async Task WithStdinClosed_TheRunEndsAtOnce_SayingSo_AndSendsNothing()
    {
        using PacerProcess pacer = PacerProcess.Start(PacerProcess.Input.Closed, "run", "-", "--progress", "none");

        Assert.Equal(2, await pacer.ExitCodeAsync());
        Assert.Contains("standard input is closed", pacer.Error, StringComparison.Ordinal);
    }

    /// <summary>Never answers: every request it reads stays in flight until pacer gives it up.</summary>
    private static RawHttpServer StallingServer() => RawHttpServer.Answering((_, connection) => connection.StallAsync());

    /// <summary>Starts pacer on a stdin that stays open, writes <see cref="Lines"/> lines and waits until the server has every request.</summary>
    private static async Task<PacerProcess> StartWithLinesInFlightAsync(RawHttpServer server, string output)
    {
        PacerProcess pacer = PacerProcess.Start(PacerProcess.Input.Pipe, "run", "-", "--out", output, "--progress", "none");
        for (int i = 0; i < Lines; i++)
        {
            await pacer.Stdin.WriteLineAsync($$"""{"id":{{i}},"url":"{{new Uri(server.BaseUri, $"slow/{i}")}}"}""");
        }

        await pacer.Stdin.FlushAsync();
        await Eventually.HoldsAsync(() => server.Requests.Count == Lines || pacer.HasExited, $"{Lines} requests in flight", PacerProcess.Deadline);
        Assert.False(pacer.HasExited, $"pacer exited early:\n{pacer.Error}");
        return pacer;
    }
}
