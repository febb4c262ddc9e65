using System.Text.Json;
using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary>Inputs people already have: text lines and CSV rows through a URL or body template, a JSON array, and --echo-request and --api-key-env.</summary>
public sealed class InputFormatTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RawHttpServer Ok() =>
        RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}", "Content-Type: application/json"));

    [Fact]
    public async Task Text_lines_fill_the_url_template_escaped_and_become_the_ids()
    {
        await using RawHttpServer server = Ok();
        string input = _dir.File("ids.txt");
        await File.WriteAllTextAsync(input, "a b\nx/y\n\n3\n");

        CliRun run = await CliRun.InvokeAsync(["run", input, "--url", $"{server.BaseUri}items/{{}}", "--progress", "none"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["GET /items/3", "GET /items/a%20b", "GET /items/x%2Fy"], server.Requests.Select(r => $"{r.Method} {r.Target}").Order(StringComparer.Ordinal));
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(["a b", "x/y", "3"], results.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([0L, 1L, 3L], results.Select(r => r.GetProperty("index").GetInt64()));
    }

    [Fact]
    public async Task Csv_rows_fill_the_body_template_and_a_bad_row_fails_alone()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string input = _dir.File("rows.csv");
        await File.WriteAllTextAsync(input, "id,text\r\na1,\"hello, \"\"world\"\"\"\r\nb2,\"two\nlines\"\nc3\nd4,plain\n");

        CliRun run = await CliRun.InvokeAsync(["run", input, "--url", new Uri(host.BaseAddress, "echo").ToString(), "--body", """{"id":"{id}","text":"{text}","n":1}""", "--progress", "none"]);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(4, results.Count);
        Assert.Equal("hello, \"world\"", results[0].GetProperty("body").GetProperty("text").GetString());
        Assert.Equal("a1", results[0].GetProperty("id").GetString());
        Assert.Equal("two\nlines", results[1].GetProperty("body").GetProperty("text").GetString());
        Assert.Equal(1, results[1].GetProperty("body").GetProperty("n").GetInt32());
        Assert.False(results[2].GetProperty("ok").GetBoolean());
        Assert.Equal("line 5: a CSV row of 1 field(s) under a header of 2", results[2].GetProperty("error").GetString());
        Assert.Equal("plain", results[3].GetProperty("body").GetProperty("text").GetString());
        Assert.Equal(3, host.GetStats().Total.Requests);
    }

    [Fact]
    public async Task A_csv_header_without_a_templated_column_sends_nothing()
    {
        await using RawHttpServer server = Ok();
        string input = _dir.File("rows.csv");
        await File.WriteAllTextAsync(input, "id,text\na,b\n");

        CliRun run = await CliRun.InvokeAsync(["run", input, "--url", $"{server.BaseUri}items/{{sku}}", "--progress", "none"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("has no column 'sku'", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_json_array_is_read_element_by_element(bool fromStdin)
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        string echo = new Uri(host.BaseAddress, "echo").ToString();
        string array = $$$"""
            [
              {"id": 1, "url": "{{{echo}}}", "method": "POST", "body": {"n": 1}},
              {"id": 2, "url": "{{{echo}}}", "method": "POST",
               "body": {"n": 2}},
              "not a request"
            ]
            """;
        string input = fromStdin ? "-" : _dir.File("requests.json");
        if (!fromStdin)
        {
            await File.WriteAllTextAsync(input, array);
        }

        CliRun run = await CliRun.InvokeAsync(["run", input, "--progress", "none"], fromStdin ? array : "");

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(3, results.Count);
        Assert.Equal(2, results[1].GetProperty("body").GetProperty("n").GetInt32());
        Assert.StartsWith("line 3: expected a JSON object", results[2].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_line_array_is_an_array_in_a_json_file_and_a_bad_line_with_a_hint_on_stdin()
    {
        await using RawHttpServer server = Ok();
        string array = $$"""[{"url": "{{server.BaseUri}}a"}, {"url": "{{server.BaseUri}}b"}]""";
        string file = _dir.File("requests.json");
        await File.WriteAllTextAsync(file, array);

        CliRun fromFile = await CliRun.InvokeAsync(["run", file, "--progress", "none"]);
        CliRun fromStdin = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], array + "\n");

        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(2, CliRun.ReadResults(fromFile.Out).Count);
        Assert.Equal(1, fromStdin.ExitCode);
        Assert.EndsWith("got Array (for a JSON array of requests, give --input-format json).", Assert.Single(CliRun.ReadResults(fromStdin.Out)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_broken_json_array_sends_nothing()
    {
        await using RawHttpServer server = Ok();
        string input = _dir.File("requests.json");
        await File.WriteAllTextAsync(input, $$"""[{"url": "{{server.BaseUri}}"}, {"url": """);

        CliRun run = await CliRun.InvokeAsync(["run", input, "--progress", "none"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("not a JSON array of requests", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task Echo_request_copies_the_request_with_its_secrets_masked()
    {
        await using RawHttpServer server = Ok();
        string line = $$$"""{"id":"q1","url":"{{{server.BaseUri}}}v1?page=2&api_key=s3cr3t","headers":{"X-Api-Key":"k-123","X-Trace":"t1"},"method":"POST","body":{"q":"hi"}}""";

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--echo-request", "--progress", "none"], line + "\n");

        Assert.Equal(0, run.ExitCode);
        JsonElement request = Assert.Single(CliRun.ReadResults(run.Out)).GetProperty("request");
        Assert.Equal($"{server.BaseUri}v1?page=2&api_key=***", request.GetProperty("url").GetString());
        Assert.Equal("***", request.GetProperty("headers").GetProperty("X-Api-Key").GetString());
        Assert.Equal("t1", request.GetProperty("headers").GetProperty("X-Trace").GetString());
        Assert.Equal("hi", request.GetProperty("body").GetProperty("q").GetString());
        Assert.DoesNotContain("s3cr3t", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("k-123", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_env_sends_a_bearer_key_that_is_shown_nowhere()
    {
        await using RawHttpServer server = Ok();
        string name = "PACER_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "sk-test-9f8e7d");
        try
        {
            string line = $$"""{"url":"{{server.BaseUri}}v1"}""";
            CliRun run = await CliRun.InvokeAsync(["run", "-", "--api-key-env", name, "--echo-request", "--progress", "none"], line + "\n");

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("Bearer sk-test-9f8e7d", Assert.Single(server.Requests).Header("Authorization"));
            Assert.DoesNotContain("sk-test", run.Out + run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("--api-key-env PACER_TEST_UNSET_VARIABLE", "the environment variable 'PACER_TEST_UNSET_VARIABLE' is not set")]
    [InlineData("--body {\"a\":1}", "--body needs --url")]
    [InlineData("--url http://127.0.0.1:1/x --body {\"a\":", "--body must be JSON")]
    [InlineData("--url http://127.0.0.1:1/items/{} --input-format json", "--input-format json reads whole requests")]
    [InlineData("--url http://127.0.0.1:1/x --input-format csv", "--input-format csv needs a --url with placeholders")]
    [InlineData("--url nota/url/{}", "--url must be an absolute http or https URL once its placeholders are filled")]
    public async Task Input_flags_that_cannot_work_together_are_named(string flags, string error)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", .. flags.Split(' '), "--progress", "none"], "x\n");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }
}
