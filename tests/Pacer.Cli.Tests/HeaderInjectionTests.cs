using System.Text.Json;
using Pacer.TestSupport;

namespace Pacer.Cli.Tests;

/// <summary>A header value with a CR, LF or NUL never reaches the wire, wherever it was given.</summary>
public sealed class HeaderInjectionTests
{
    /// <summary>A value that would end its header and write a whole second request after it.</summary>
    private const string Smuggling = "a\r\n\r\nPOST /_sim/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nX-I: ";

    private static RawHttpServer Answering200() => RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}", "Content-Type: application/json"));

    private static string Line(RawHttpServer server) => JsonSerializer.Serialize(new { url = new Uri(server.BaseUri, "x").ToString() });

    [Fact]
    public async Task LineHeaderWithCrLf_IsAnErrorNamingLineAndHeader_AndNothingIsSmuggled()
    {
        await using RawHttpServer server = Answering200();
        string bad = JsonSerializer.Serialize(new { url = new Uri(server.BaseUri, "x").ToString(), headers = new Dictionary<string, string> { ["X-A"] = Smuggling } });
        string input = Requests.Lines([Line(server), bad, Line(server)]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(3, results.Count);
        Assert.True(results[0].GetProperty("ok").GetBoolean());
        Assert.True(results[2].GetProperty("ok").GetBoolean());
        string error = results[1].GetProperty("error").GetString()!;
        Assert.StartsWith("line 2: header 'X-A' holds a CR", error, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("/x", r.Target));
        Assert.DoesNotContain("_sim/reset", server.ReceivedText, StringComparison.Ordinal);
        Assert.DoesNotContain("X-I", server.ReceivedText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-A", "a\nb")]
    [InlineData("X-A", "a\u0000b")]
    [InlineData("X-A", "a\u0001b")]
    [InlineData("X A", "b")]
    [InlineData("X-A\r\nX-B", "b")]
    [InlineData("", "b")]
    [InlineData("X-A:", "b")]
    public async Task LineHeader_WithAControlCharacterOrABadName_IsALineError_AndIsNotSent(string name, string value)
    {
        await using RawHttpServer server = Answering200();
        string bad = JsonSerializer.Serialize(new { url = new Uri(server.BaseUri, "x").ToString(), headers = new Dictionary<string, string> { [name] = value } });

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], Requests.Lines([bad, Line(server)]));

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(2, results.Count);
        Assert.StartsWith("line 1: header", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(results[1].GetProperty("ok").GetBoolean());
        RawRequest sent = Assert.Single(server.Requests);
        Assert.Null(sent.Header("X-B"));
    }

    [Fact]
    public async Task HeaderFlagWithCrLf_IsAUsageError_NamingTheHeaderNotItsValue_AndNothingIsSent()
    {
        await using RawHttpServer server = Answering200();

        CliRun run = await CliRun.InvokeAsync(
            ["run", "-", "--url", new Uri(server.BaseUri, "x").ToString(), "-H", "X-Ok: 1", "-H", "X-B: a\r\nX-Evil: sk-flag-secret", "--progress", "none"], "{}\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        Assert.Contains("--header (the 2nd given): header 'X-B' holds a CR", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-flag-secret", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task HeaderFlagWithABadName_IsAUsageError()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--url", "http://127.0.0.1:1/x", "-H", "X(B): 1", "--progress", "none"], "{}\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("header name 'X(B)' is not a token", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigHeader_WhoseVariableHoldsCrLf_IsAUsageError_NamingLaneHeaderAndVariable_NeverTheValue()
    {
        await using RawHttpServer server = Answering200();
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        Environment.SetEnvironmentVariable("PACER_CLI_TEST_INJECTED", "acme\r\nX-Evil: sk-env-secret");
        await File.WriteAllTextAsync(config, $$"""
            lanes:
              api:
                baseUrl: {{server.BaseUri}}
                headers:
                  X-Org: org ${PACER_CLI_TEST_INJECTED}
            """);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Requests.Lines([Line(server)]));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        Assert.Contains("lane 'api' header 'X-Org': environment variable 'PACER_CLI_TEST_INJECTED' holds a CR (U+000D) at character 5 of its value", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-env-secret", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task ConfigHeader_WrittenWithAnLf_IsAnError_InRunAndValidate()
    {
        await using RawHttpServer server = Answering200();
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $$"""
            lanes:
              api:
                baseUrl: {{server.BaseUri}}
                headers:
                  X-Org: "acme\nX-Evil: 1"
            """);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Requests.Lines([Line(server)]));
        CliRun validate = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(0, server.ConnectionCount);
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("lane 'api' header 'X-Org' holds an LF (U+000A) at character 5 of its value", validate.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ConfigHeaderNameThatIsNotAToken_IsAnError()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  api:\n    headers:\n      \"X Org\": acme\n");

        CliRun validate = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("lane 'api': header name 'X Org' is not a token", validate.Error, StringComparison.Ordinal);
    }
}
