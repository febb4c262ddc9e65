using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pacer.Cli.Run;

namespace Pacer.Cli.Tests;

/// <summary>
/// A request's timeout covers its whole answer, headers and body, and there is one by default:
/// no server can hold a run, however it misbehaves.
/// </summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task WithoutATimeoutFlag_AServerThatNeverAnswers_FailsItsRequestAfterTheDefault2m()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.StallAsync());
        var time = new FakeTimeProvider();
        using var output = new StringWriter();
        var settings = new RunSettings
        {
            Input = "-",
            Progress = "none",
            Retry = Pacer.Cli.Config.LaneRetry.Create(0, null, null, null),
            Lines = [$$"""{"url":"{{new Uri(server.BaseUri, "never")}}"}"""],
        };
        Task<int> run = new RunRunner(settings, new CliIo(TextReader.Null, output, TextWriter.Null), time).RunAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => server.Requests.Count == 1, "the request to arrive");

        time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.False(run.IsCompleted);
        while (!run.IsCompleted && time.GetUtcNow() < time.Start + TimeSpan.FromMinutes(3))
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        Assert.Equal(1, await run.DefaultTimeout());
        JsonElement result = Assert.Single(CliRun.ReadResults(output.ToString()));
        Assert.Equal("line 1: timed out: no complete answer within the 2m timeout (1 attempt)", result.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ABodyThatStopsShortOfItsContentLength_OnAConnectionLeftOpen_TimesOut()
    {
        await using RawHttpServer server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"partial\":");
            await connection.StallAsync();
        });

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--timeout", "1s", "--retries", "0", "--progress", "none"], Line(server));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.Equal("line 1: timed out: the body of the HTTP 200 answer was still arriving when the 1s timeout of the whole answer ran out (1 attempt)", result.GetProperty("error").GetString());
        Assert.Equal(200, result.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ABodyThatTrickles_TimesOut_ThoughItNeverStopsArriving()
    {
        await using RawHttpServer server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
            while (!connection.Stopping.IsCancellationRequested)
            {
                await connection.WriteAsync("1\r\nx\r\n");
                // The misbehaviour under test is the server's own pace: a byte every 50 ms, for ever.
                await Task.Delay(TimeSpan.FromMilliseconds(50), connection.Stopping);
            }
        });

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--timeout", "1s", "--retries", "0", "--progress", "none"], Line(server));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.StartsWith("line 1: timed out: the body of the HTTP 200 answer was still arriving", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALanesTimeout_BoundsItsAnswersBodiesToo()
    {
        await using RawHttpServer server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"partial\":");
            await connection.StallAsync();
        });
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $"""
            lanes:
              api:
                baseUrl: {server.BaseUri}
                timeout: 1s
                retries: 0
            """);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Line(server));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.StartsWith("line 1: timed out: the body of the HTTP 200 answer was still arriving when the 1s timeout", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_StatesTheDefaultTimeout_AndBodyCap()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "--help"]);

        Assert.Contains("Default: 2m", run.Out, StringComparison.Ordinal);
        Assert.Contains("--max-body", run.Out, StringComparison.Ordinal);
        Assert.Contains("8MiB", run.Out, StringComparison.Ordinal);
    }

    private static string Line(RawHttpServer server) => Requests.Lines([$$"""{"url":"{{new Uri(server.BaseUri, "answer")}}"}"""]);
}
