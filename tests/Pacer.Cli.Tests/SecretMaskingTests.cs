using System.Text.Json;
using Pacer.Cli.Config;
using Pacer.TestSupport;

namespace Pacer.Cli.Tests;

/// <summary>Secrets stay out of what pacer shows; a base URL's query stays a query.</summary>
public sealed class SecretMaskingTests
{
    private static async Task<string> WriteConfigAsync(TempDir dir, string yaml)
    {
        string path = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    [Fact]
    public async Task Validate_ShowsVariablesByName_AndMasksLiteralSecrets()
    {
        using var dir = new TempDir();
        Environment.SetEnvironmentVariable("PACER_CLI_TEST_MASK_KEY", "sk-env-mask-1");
        string config = await WriteConfigAsync(dir, """
            lanes:
              openai:
                baseUrl: https://user:pw-literal-1@api.example.com/v1?key=${PACER_CLI_TEST_MASK_KEY}&sig=lit-sig-1
                headers:
                  Authorization: Bearer sk-literal-auth-1
                  x-api-key: ${PACER_CLI_TEST_MASK_KEY}
                  X-Org: acme
            """);

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(
            """
            openai
              baseUrl      https://***@api.example.com/v1?key=${PACER_CLI_TEST_MASK_KEY}&sig=***
              limits       4 at once (the default)
              headers      Authorization: ***
                           x-api-key: ***
                           X-Org: acme
            """,
            run.Out,
            StringComparison.Ordinal);
        foreach (string secret in (string[])["sk-env-mask-1", "pw-literal-1", "lit-sig-1", "sk-literal-auth-1"])
        {
            Assert.DoesNotContain(secret, run.Out + run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BaseUrlError_QuotesTheUrlAsWritten_NotTheVariablesValue()
    {
        using var dir = new TempDir();
        Environment.SetEnvironmentVariable("PACER_CLI_TEST_BAD_BASE", "not a url sk-env-base-1");
        string config = await WriteConfigAsync(dir, "lanes:\n  a:\n    baseUrl: ${PACER_CLI_TEST_BAD_BASE}?token=lit-token-1\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("lane 'a': baseUrl must be an absolute http or https URL, got '${PACER_CLI_TEST_BAD_BASE}?token=***'.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-env-base-1", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("lit-token-1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BaseUrlWithAQuery_GetsItsSlashOnThePath_AndKeepsItsQuery()
    {
        using var dir = new TempDir();
        string config = await WriteConfigAsync(dir, "lanes:\n  a:\n    baseUrl: https://api.example.com/v1?key=${KEY}\n");
        var errors = new List<string>();

        LaneConfig lane = Assert.Single(ConfigLoader.Load(config, _ => "k1", errors)!);

        Assert.Empty(errors);
        Assert.Equal("https://api.example.com/v1/?key=k1", lane.BaseUrl!.ToString());
        Assert.True(lane.Covers(new Uri("https://api.example.com/v1/chat")));
        Assert.True(lane.Covers(new Uri("https://api.example.com/v1")));
        Assert.False(lane.Covers(new Uri("https://api.example.com/v2/chat")));
    }

    [Fact]
    public async Task RelativeUrl_UnderABaseUrlWithAQuery_IsSentWithThatQueryAfterItsOwn()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        using var dir = new TempDir();
        string config = await WriteConfigAsync(dir, $"lanes:\n  a:\n    baseUrl: {server.BaseUri}v1?key=k1&v=2\n");
        string input = Requests.Lines(
        [
            """{"lane":"a","url":"chat"}""",
            """{"lane":"a","url":"chat?x=1&v=3"}""",
            """{"lane":"a","url":""}""",
            $$"""{"url":"{{server.BaseUri}}v1/models"}""",
        ]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["a", "a", "a", "a"], CliRun.ReadResults(run.Out).Select(r => r.GetProperty("lane").GetString()));
        // A relative url gets the lane's query after its own, whose parameters win; an absolute one is sent as written.
        Assert.Equal(
            ["/v1/?key=k1&v=2", "/v1/chat?key=k1&v=2", "/v1/chat?x=1&v=3&key=k1", "/v1/models"],
            server.Requests.Select(r => r.Target).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RelativeUrl_ThatLeavesTheBaseUrlsHost_IsALineError_AndIsNotSent()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        using var dir = new TempDir();
        string config = await WriteConfigAsync(dir, $"lanes:\n  a:\n    baseUrl: {server.BaseUri}v1/\n    headers:\n      Authorization: Bearer k\n");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], Requests.Lines(["""{"lane":"a","url":"//127.0.0.2:1/x"}"""]));

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.StartsWith("line 1: \"url\" '//127.0.0.2:1/x' leaves the scheme, host and port of lane 'a'", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task AbsoluteUrl_OnAnotherOrigin_ThanItsNamedLane_IsALineError_AndTheLanesKeyGoesNowhere()
    {
        await using RawHttpServer lane = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        await using RawHttpServer elsewhere = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}"));
        using var dir = new TempDir();
        string config = await WriteConfigAsync(dir, $"lanes:\n  a:\n    baseUrl: {lane.BaseUri}v1/\n    headers:\n      x-api-key: sk-lane-key-1\n");
        string input = Requests.Lines(
        [
            $$"""{"lane":"a","url":"{{elsewhere.BaseUri}}steal"}""",
            $$"""{"lane":"a","url":"{{lane.BaseUri}}v2/sibling"}""",
        ]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.StartsWith($"line 1: \"url\" '{elsewhere.BaseUri}steal' is not on the scheme, host and port of lane 'a'", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        // The lane's own origin, under another path, is where a line that names the lane may go.
        Assert.True(results[1].GetProperty("ok").GetBoolean());
        Assert.Equal(0, elsewhere.ConnectionCount);
        Assert.Equal("sk-lane-key-1", Assert.Single(lane.Requests).Header("x-api-key"));
    }

    [Fact]
    public async Task LineUrlQuotedInAnError_HasItsQueryValuesAndUserInfoMasked()
    {
        using var dir = new TempDir();
        string config = await WriteConfigAsync(dir, "lanes:\n  a:\n    baseUrl: http://127.0.0.1:1/v1\n");
        string input = Requests.Lines(
        [
            """{"url":"http://u:pw-line-1@127.0.0.1:2/x?key=sk-line-1"}""",
            """{"url":"ftp://u:pw-line-2@h/x?key=sk-line-2"}""",
        ]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Contains("'http://***@127.0.0.1:2/x?key=***'", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("'ftp://***@h/x?key=***'", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("-line-", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.example.com/v1", "https://api.example.com/v1")]
    [InlineData("https://api.example.com/v1?key=sk&x=", "https://api.example.com/v1?key=***&x=")]
    [InlineData("https://api.example.com/v1?key=${KEY}&flag", "https://api.example.com/v1?key=${KEY}&***")]
    [InlineData("https://u:p@h:1/p?q=1#frag", "https://***@h:1/p?q=***#frag")]
    [InlineData("https://${USER}@h/p", "https://${USER}@h/p")]
    [InlineData("https://h/p#a?b=c", "https://h/p#a?b=c")]
    [InlineData("not a url?k=v", "not a url?k=***")]
    public void SecretMask_HidesUserInfoAndQueryValues(string url, string shown)
    {
        Assert.Equal(shown, SecretMask.Url(url));
    }

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("x-api-key", true)]
    [InlineData("api-key", true)]
    [InlineData("X-Auth-Token", true)]
    [InlineData("Client-Secret", true)]
    [InlineData("Cookie", true)]
    [InlineData("X-Org", false)]
    [InlineData("Content-Type", false)]
    public void SecretMask_KnowsCredentialHeadersByName(string name, bool secret)
    {
        Assert.Equal(secret, SecretMask.IsSecretHeader(name));
    }
}
