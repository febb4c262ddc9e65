using System.Text;
using System.Text.Json;

namespace Pacer.Cli.Tests;

/// <summary>A response body is kept up to <c>--max-body</c>; past it the request fails, saying so, and memory stays bounded whatever the server sends.</summary>
public sealed class BodyCapTests
{
    [Fact]
    public async Task AnEndlessBody_IsCutAtMaxBody_AndItsResultGivesTheStatusAndHeaders()
    {
        await using RawHttpServer server = EndlessBody(200);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--max-body", "64KiB", "--progress", "none"], Line(server));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("body").ValueKind);
        Assert.Equal("line 1: the body of the HTTP 200 answer is larger than --max-body 64 KiB; it was not kept", result.GetProperty("error").GetString());
        JsonElement headers = result.GetProperty("headers");
        Assert.Equal("application/json", headers.GetProperty("content-type").GetString());
        Assert.Equal("chunked", headers.GetProperty("transfer-encoding").GetString());
        Assert.Equal("req-7", headers.GetProperty("x-request-id").GetString());
    }

    [Fact]
    public async Task ARefusedAnswerWithAnEndlessBody_IsCutToo_BeforeAndAfterItsRetries()
    {
        await using RawHttpServer server = EndlessBody(503);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--max-body", "64KiB", "--retries", "1", "--retry-delay", "0", "--progress", "none"], Line(server));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.Equal(503, result.GetProperty("status").GetInt32());
        Assert.Equal(2, result.GetProperty("attempts").GetInt32());
        Assert.StartsWith("line 1: the body of the HTTP 503 answer is larger than --max-body 64 KiB", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedAnswerWithAnEndlessBody_UnderTheDefaultCap_SaysItsBodyWasCut()
    {
        await using RawHttpServer server = EndlessBody(503);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--retries", "0", "--progress", "none"], Line(server));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.Equal(503, result.GetProperty("status").GetInt32());
        Assert.Equal("line 1: HTTP 503 Status; the body was longer than 64 KiB, the most kept of a refused answer, and only its start is kept", result.GetProperty("error").GetString());
        Assert.Equal(64 * 1024, result.GetProperty("body").GetString()!.Length);
    }

    [Fact]
    public async Task ABodyDeclaredLongerThanMaxBody_FailsAtOnce_NamingTheLengthItDeclared()
    {
        await using RawHttpServer server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{");
            await connection.StallAsync();
        });

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], Line(server));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.Equal("line 1: the body of the HTTP 200 answer is larger than --max-body 8 MiB (it declared 10000000000 bytes); it was not kept", result.GetProperty("error").GetString());
        Assert.Equal("10000000000", result.GetProperty("headers").GetProperty("content-length").GetString());
    }

    [Fact]
    public async Task ABodyOfExactlyMaxBody_IsKept()
    {
        string body = "\"" + new string('x', 1022) + "\"";
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, body, "Content-Type: application/json"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--max-body", "1KiB", "--progress", "none"], Line(server));

        Assert.Equal(0, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.Equal(1022, result.GetProperty("body").GetString()!.Length);
    }

    [Fact]
    public async Task AHeadAnswersContentLength_IsNotABody_AndIsNotCapped()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) =>
            connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 10000000000\r\n\r\n"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], Requests.Lines([$$"""{"url":"{{new Uri(server.BaseUri, "file.zip")}}","method":"HEAD"}"""]));

        Assert.True(run.ExitCode == 0, run.Out);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("body").ValueKind);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("lots")]
    [InlineData("2GiB")]
    public async Task ABadMaxBody_IsAUsageError_NamingTheFlag(string value)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--max-body", value], "");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--max-body must be a size from 1 byte to 2047MiB such as 8MiB, 512KiB or 1000000, got '{value}'.", run.Error, StringComparison.Ordinal);
    }

    /// <summary>Answers every request with <paramref name="status"/> and a chunked body that never ends.</summary>
    private static RawHttpServer EndlessBody(int status) => RawHttpServer.Answering(async (_, connection) =>
    {
        await connection.WriteAsync($"HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nX-Request-Id: req-7\r\nTransfer-Encoding: chunked\r\n\r\n");
        byte[] chunk = Encoding.ASCII.GetBytes($"4000\r\n{new string(' ', 0x4000)}\r\n");
        while (true)
        {
            // Until the client goes away: the write then fails and the connection's script ends.
            await connection.WriteAsync(chunk);
        }
    });

    private static string Line(RawHttpServer server) => Requests.Lines([$$"""{"url":"{{new Uri(server.BaseUri, "big")}}"}"""]);
}
