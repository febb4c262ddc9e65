using System.Net;
using System.Text;
using System.Text.Json;

namespace Pacer.Server.Tests;

/// <summary>Secure by default: loopback unless a key is set, a key on every endpoint but health, no open proxy, secrets kept in, bounded requests.</summary>
public sealed class SecurityTests
{
    [Fact]
    public async Task ListeningBeyondLoopback_WithoutAKey_IsRefused_AndSaysWhy()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "pacer.yaml"), Lines.Lane("svc", new Uri("http://127.0.0.1:9/"), "    concurrency: 1"));

        (int exit, string error) = await ServerProcess.RunToExitAsync(folder.Path, null, "serve", "--urls", "http://0.0.0.0:0");

        Assert.Equal(2, exit);
        Assert.Contains("--urls: 'http://0.0.0.0:0' is reachable from other machines", error, StringComparison.Ordinal);
        Assert.Contains("PACER_API_KEY", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAKey_EveryEndpointButHealth_NeedsIt()
    {
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(
            folder.Path, Lines.Lane("svc", new Uri("http://127.0.0.1:9/"), "    concurrency: 1"), new Dictionary<string, string> { ["PACER_API_KEY"] = "k-123456" });
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        using HttpResponseMessage health = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        foreach (string path in (string[])["/api/runs", "/api/lanes", "/openapi/v1.json", "/api/runs/x/results"])
        {
            using HttpResponseMessage refused = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        }

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/runs") { Headers = { { "Authorization", "Bearer k-12345" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);
        Assert.Equal(0, (await server.GetJsonAsync("/api/runs")).GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task AKeyFromTheConfig_LetsTheServerListenBeyondLoopback_AndIsRequired()
    {
        using var folder = new TempFolder();
        string config = Lines.Lane("svc", new Uri("http://127.0.0.1:9/"), "    concurrency: 1") + "\nserver:\n  apiKey: ${SERVE_KEY}\n";
        await using ServerProcess server = await ServerProcess.StartAsync(
            folder.Path, config, new Dictionary<string, string> { ["SERVE_KEY"] = "from-the-config-5150" }, "--urls", "http://0.0.0.0:0");
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/lanes")).StatusCode);
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/api/lanes") { Headers = { { "Authorization", "Bearer from-the-config-5150" } } };
        using HttpResponseMessage allowed = await anonymous.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.DoesNotContain("from-the-config-5150", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("from-the-config-5150", server.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server:\n  apiKey:\n", "server: apiKey must be a string")]
    [InlineData("server:\n  apikey: x\n", "'apikey'")]
    [InlineData("server:\n  apiKey: ${NOT_SET_ANYWHERE}\n", "NOT_SET_ANYWHERE")]
    [InlineData("server: open\n", "server must be a map")]
    public async Task AServerSectionThatCannotBeRead_IsNamedByLine(string section, string error)
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "pacer.yaml"), Lines.Lane("svc", new Uri("http://127.0.0.1:9/"), "    concurrency: 1") + "\n" + section);

        (int exit, string stderr) = await ServerProcess.RunToExitAsync(folder.Path, null, "serve", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, exit);
        Assert.Contains(error, stderr, StringComparison.Ordinal);
        Assert.Contains("line ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJobToAUrlUnderNoLane_RefusesTheSubmission_NamingTheLanes_AndStoresNothing()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 1"));

        using HttpResponseMessage refused = await server.PostLinesAsync([Lines.Get(gate.BaseUri, 0), """{"url":"http://169.254.169.254/latest/meta-data"}"""]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        string detail = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("line 2", detail, StringComparison.Ordinal);
        Assert.Contains("'svc'", detail, StringComparison.Ordinal);
        Assert.Equal(0, (await server.GetJsonAsync("/api/runs")).GetProperty("runs").GetArrayLength());
        Assert.Empty(gate.Targets);
    }

    [Fact]
    public async Task ALaneSecret_NeverShowsInAnyAnswerOrLog_ButReachesTheService()
    {
        const string Secret = "s3cr3t-value-5150";
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        string config = $"""
            lanes:
              svc:
                baseUrl: {gate.BaseUri}
                concurrency: 2
                headers:
                  Authorization: "Bearer ${"{"}SVC_TOKEN{"}"}"
            """;
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, config, new Dictionary<string, string> { ["SVC_TOKEN"] = Secret });
        string run = await server.SubmitAsync([Lines.Get(gate.BaseUri, 0), "{\"url\": 5}", """{"url":"/j/2","lane":"svc","headers":{"X-Trace":"t"}}"""]);
        await server.WaitForStatusAsync(run, "completed");

        var answers = new StringBuilder();
        foreach (string path in (string[])["/api/runs", $"/api/runs/{run}", $"/api/runs/{run}/results", "/api/lanes", "/api/lanes/svc", "/openapi/v1.json"])
        {
            answers.Append(await server.Http.GetStringAsync(path));
        }

        Assert.DoesNotContain(Secret, answers.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, server.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, File.ReadAllText(Path.Combine(folder.Path, "pacer.yaml")), StringComparison.Ordinal);
        Assert.Equal($"Bearer {Secret}", gate.Requests[0].Header("Authorization"));
    }

    [Fact]
    public async Task ABodyOverTheLimit_AndARunOverTheJobLimit_AreAnswered413_WithTheLimit()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(
            folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 1"), null, "--max-body", "2KB", "--max-jobs", "3");

        using HttpResponseMessage big = await server.PostLinesAsync(Enumerable.Range(0, 3).Select(i => Lines.Get(gate.BaseUri, i) + new string(' ', 1000)));
        using HttpResponseMessage many = await server.PostLinesAsync(Enumerable.Range(0, 4).Select(i => Lines.Get(gate.BaseUri, i)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        JsonElement bigProblem = JsonDocument.Parse(await big.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2000, bigProblem.GetProperty("limit").GetInt64());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, many.StatusCode);
        JsonElement manyProblem = JsonDocument.Parse(await many.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, manyProblem.GetProperty("limit").GetInt64());
        Assert.Contains("line 4", manyProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.GetJsonAsync("/api/runs")).GetProperty("runs").GetArrayLength());
        Assert.Empty(gate.Targets);
    }
}
