using System.Globalization;
using System.Text;
using System.Text.Json;
using Pacer.TestSupport;

namespace Pacer.Cli.Tests;

/// <summary>Hostile or odd input that each get a clear per-line result, and secrets that never show.</summary>
public sealed class InputRegressionTests
{
    private static RawHttpServer Answering(int status = 200) => RawHttpServer.Answering((_, connection) => connection.RespondAsync(status, "{}"));

    private static string Get(RawHttpServer server) => $$"""{"url":"{{new Uri(server.BaseUri, "x")}}"}""";

    [Theory]
    [InlineData("""{"url":5}""", "\"url\" is missing or not a string")]
    [InlineData("""{"url":"URL","headers":[1]}""", "\"headers\" must be an object of strings")]
    [InlineData("""{"url":"URL","headers":{"X-A":1}}""", "header 'X-A' must be a string")]
    [InlineData("""{"url":"URL","lane":5}""", "unknown lane 5")]
    [InlineData("""{"url":"URL","method":["GET"]}""", "\"method\" must be an HTTP method")]
    [InlineData("""[1,2]""", "expected a JSON object, got Array")]
    [InlineData("\"text\"", "expected a JSON object, got String")]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"url":"ftp://example.com/x"}""", "\"url\" must be an absolute http or https URL")]
    [InlineData("""{"url":"file:///etc/passwd"}""", "\"url\" must be an absolute http or https URL")]
    [InlineData("""{"url":"javascript:alert(1)"}""", "\"url\" must be an absolute http or https URL")]
    [InlineData("""{"url":"//127.0.0.1/x"}""", "\"url\" must be an absolute http or https URL")]
    public async Task WrongTypesAndBadSchemes_AreErrorsForTheirLine(string line, string message)
    {
        await using RawHttpServer server = Answering();

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], Requests.Lines([line.Replace("URL", new Uri(server.BaseUri, "x").ToString(), StringComparison.Ordinal), Get(server)]));

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(2, results.Count);
        Assert.StartsWith("line 1: ", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(message, results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(results[1].GetProperty("ok").GetBoolean());
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task FiveMegabyteLine_IsSentWhole()
    {
        await using RawHttpServer server = Answering();
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        string big = new('x', 5 * 1024 * 1024);
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(new { url = new Uri(server.BaseUri, "x").ToString(), method = "POST", body = new { s = big } }) + "\n" + Get(server) + "\n");

        CliRun run = await CliRun.InvokeAsync(["run", input, "--progress", "none"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, CliRun.ReadResults(run.Out).Count);
        Assert.Contains(server.Requests, r => r.Body.Length == big.Length + """{"s":""}""".Length);
    }

    [Fact]
    public async Task CrlfLineEndings_AreLineEnds_AndBlankLinesKeepTheirNumbers()
    {
        await using RawHttpServer server = Answering();
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        await File.WriteAllTextAsync(input, Get(server) + "\r\n\r\n" + "{bad\r\n" + Get(server) + "\r\n");

        CliRun run = await CliRun.InvokeAsync(["run", input, "--progress", "none"]);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal([0L, 2L, 3L], results.Select(r => r.GetProperty("index").GetInt64()));
        Assert.StartsWith("line 3: not valid JSON", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task DeepNesting_IsALineError_AndNestingWithinTheLimitIsEstimated()
    {
        await using RawHttpServer server = Answering();
        string deep = new string('[', 100_000) + new string(']', 100_000);
        string nested = new string('[', 60) + "\"abcd\"" + new string(']', 60);
        string withinLimit = $$$"""{"url":"{{{new Uri(server.BaseUri, "x")}}}","method":"POST","body":{"messages":[{"content":{{{nested}}}}]}}""";

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "100000", "--progress", "none"], Requests.Lines([deep, withinLimit]));

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.StartsWith("line 1: not valid JSON: The maximum configured depth of 64 has been exceeded", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(results[1].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task NulBytes_RawAreALineError_EscapedAreSent()
    {
        await using RawHttpServer server = Answering();
        using var dir = new TempDir();
        string input = dir.File("in.jsonl");
        string url = new Uri(server.BaseUri, "x").ToString();
        await File.WriteAllTextAsync(input, $$"""{"url":"{{url}}","body":"a{{'\0'}}b"}""" + "\n" + $$$"""{"url":"{{{url}}}","method":"POST","body":{"a":"\u0000"}}""" + "\n");

        CliRun run = await CliRun.InvokeAsync(["run", input, "--progress", "none"]);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.StartsWith("line 1: not valid JSON: '0x00' is invalid within a JSON string", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(results[1].GetProperty("ok").GetBoolean());
        Assert.Equal("""{"a":"\u0000"}""", Encoding.UTF8.GetString(Assert.Single(server.Requests).Body));
    }

    [Theory]
    [InlineData("""{"url":"\ud800"}""")]
    [InlineData("""{"url":"URL","headers":{"\udc00":"x"}}""")]
    [InlineData("""{"url":"URL","method":"POST","body":{"messages":[{"content":"\ud800"}]}}""")]
    [InlineData("""{"url":"URL","method":"POST","body":"\ud800"}""")]
    public async Task EscapedLoneSurrogate_IsAnErrorForItsLineOnly(string line)
    {
        await using RawHttpServer server = Answering();

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "100000", "--progress", "none"], Requests.Lines([line.Replace("URL", new Uri(server.BaseUri, "x").ToString(), StringComparison.Ordinal), Get(server)]));

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(2, results.Count);
        Assert.StartsWith("line 1: a string in it cannot be read", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(results[1].GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task YamlBomb_IsRefusedAtOnce()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        var yaml = new StringBuilder("lanes:\n  a:\n    retry:\n      statuses: &a0 [429, 429, 429, 429, 429, 429, 429, 429, 429]\n");
        for (int i = 1; i < 10; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    x{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))).Append("]\n");
        }

        await File.WriteAllTextAsync(config, yaml.ToString());

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("lane 'a': unknown key 'x1'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YamlAliases_ShareALanesSettings()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  a: &lane\n    rps: 5\n  b: *lane\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2 lanes, valid.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_InHeadersFlagsAndConfig_StayOutOfStdoutStderrAndResults()
    {
        await using RawHttpServer server = Answering(401);
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        Environment.SetEnvironmentVariable("PACER_CLI_TEST_SECRET_ENV", "sk-env-4");
        await File.WriteAllTextAsync(config, $"lanes:\n  a:\n    baseUrl: {server.BaseUri}?key=sk-query-5\n    retries: 0\n    headers:\n      Authorization: Bearer ${{PACER_CLI_TEST_SECRET_ENV}}\n");
        string input = Requests.Lines(
        [
            """{"lane":"a","url":"x","headers":{"x-api-key":"sk-line-3"}}""",
            """{"lane":"a","url":"x","headers":{"x-api-key":"sk-line-3\r\n"}}""",
            """{"lane":"a","url":"x","priority":"sk-line-6"}""",
        ]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "-H", "X-Token: sk-flag-2", "--progress", "plain"], input);
        CliRun validate = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(3, CliRun.ReadResults(run.Out).Count);
        RawRequest sent = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-env-4", sent.Header("Authorization"));
        Assert.Equal("sk-flag-2", sent.Header("X-Token"));
        foreach (string secret in (string[])["sk-env-4", "sk-flag-2", "sk-line-3", "sk-query-5"])
        {
            Assert.DoesNotContain(secret, run.Out + run.Error + validate.Out + validate.Error, StringComparison.Ordinal);
        }
    }
}
