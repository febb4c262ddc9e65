using System.Text.Json;
using Pacer.Simulator;

namespace Pacer.Cli.Tests;

public sealed class RunCommandTests
{
    private static Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions { Port = 0, Latency = { Jitter = TimeSpan.FromMilliseconds(20) } };
        configure?.Invoke(options);
        return SimulatorHost.StartAsync(options);
    }

    /// <summary>A simulator that has answered once, with its limit windows emptied, for tests that judge arrival times.</summary>
    private static async Task<SimulatorHost> StartWarmAsync(Action<SimulatorOptions> configure)
    {
        // This process hosts the service as well as the client, on the test runner's thread pool; left
        // to start small and grow, it stalls the first few dozen requests together and the service sees
        // them arrive at once. `pacer demo`, which hosts both as well, needs no such help.
        ThreadPool.GetMinThreads(out int workers, out int ports);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(ports, 64));
        SimulatorHost host = await StartAsync(configure);

        // A service is warm when a run meets it; this one was started a moment ago in this process.
        using (var http = new HttpClient())
        {
            (await http.PostAsync(new Uri(host.BaseAddress, "echo"), new StringContent("{}"))).Dispose();
        }

        host.Reset(clearLimitWindows: true);
        return host;
    }

    [Fact]
    public async Task Ordered_ResultsFollowInputOrder_OnePerLine()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines(Enumerable.Range(0, 40).Select(i => Requests.Echo(host, i)));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none", "--concurrency", "8", "--window", "4"], input);

        Assert.Equal(0, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(40, results.Count);
        for (int i = 0; i < results.Count; i++)
        {
            Assert.Equal(i, results[i].GetProperty("index").GetInt64());
            Assert.Equal(i, results[i].GetProperty("id").GetInt32());
            Assert.True(results[i].GetProperty("ok").GetBoolean());
            Assert.Equal(200, results[i].GetProperty("status").GetInt32());
            Assert.Equal(1, results[i].GetProperty("attempts").GetInt32());
            Assert.Equal("default", results[i].GetProperty("lane").GetString());
            Assert.Equal(i, results[i].GetProperty("body").GetProperty("n").GetInt32());
            Assert.Equal(JsonValueKind.Null, results[i].GetProperty("error").ValueKind);
        }

        Assert.Contains("wall time", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unordered_WritesEveryIndexOnce()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines(Enumerable.Range(0, 40).Select(i => Requests.Echo(host, i)));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--unordered", "--window", "5", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        List<long> indices = [.. CliRun.ReadResults(run.Out).Select(r => r.GetProperty("index").GetInt64())];
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), indices.Order());
    }

    [Fact]
    public async Task BadLines_GetErrorsNamingTheirLine_AndTheRestRuns()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines(
        [
            Requests.Echo(host, 0),
            "{not json",
            """{"url":"ftp://example.com/x"}""",
            Requests.Echo(host, 3).Replace("\"method\"", "\"lane\":\"nope\",\"method\"", StringComparison.Ordinal),
            Requests.Echo(host, 4),
        ]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(5, results.Count);
        Assert.True(results[0].GetProperty("ok").GetBoolean());
        Assert.True(results[4].GetProperty("ok").GetBoolean());
        for (int i = 1; i <= 3; i++)
        {
            Assert.False(results[i].GetProperty("ok").GetBoolean());
            Assert.StartsWith($"line {i + 1}: ", results[i].GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("nope", results[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, host.GetStats().Total.Requests);
    }

    [Fact]
    public async Task Strict_WithABadLine_SendsNothing_AndExits2()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines([Requests.Echo(host, 0), "{not json", """{"url":"nope"}""", Requests.Echo(host, 3)]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--strict", "--progress", "none"], input);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        Assert.Contains("line 2:", run.Error, StringComparison.Ordinal);
        Assert.Contains("line 3:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 1:", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, host.GetStats().Total.Requests);
    }

    [Fact]
    public async Task Strict_WithGoodInput_RunsEverything()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines(Enumerable.Range(0, 5).Select(i => Requests.Echo(host, i)));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--strict", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(5, CliRun.ReadResults(run.Out).Count);
    }

    [Fact]
    public async Task Resume_AfterACrash_EndsWithOneResultPerLine_AndResendsNothingDone()
    {
        await using SimulatorHost host = await StartAsync();
        using var dir = new TempDir();
        string inputPath = dir.File("in.jsonl");
        string outPath = dir.File("out.jsonl");
        await File.WriteAllTextAsync(inputPath, Requests.Lines(Enumerable.Range(0, 10).Select(i => Requests.Echo(host, i))));
        string earlier = string.Concat(Enumerable.Range(0, 5).Select(i =>
            $$$"""{"index":{{{i}}},"id":{{{i}}},"ok":true,"status":200,"attempts":1,"lane":"default","ms":3,"body":{"n":{{{i}}}},"error":null}""" + "\n"));
        earlier += """{"index":6,"id":6,"ok":false,"status":null,"attempts":0,"lane":"default","ms":0,"body":null,"error":"cancelled"}""" + "\n";
        earlier += """{"index":5,"id":5,"ok":tr""";
        await File.WriteAllTextAsync(outPath, earlier);

        CliRun run = await CliRun.InvokeAsync(["run", inputPath, "--out", outPath, "--resume", "--progress", "none"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        List<JsonElement> results = CliRun.ReadResults(await File.ReadAllTextAsync(outPath));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), results.Select(r => r.GetProperty("index").GetInt64()).Order());
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean()));
        Assert.Equal(5, host.GetStats().Total.Requests);

        CliRun again = await CliRun.InvokeAsync(["run", inputPath, "--out", outPath, "--resume", "--progress", "none"]);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(10, CliRun.ReadResults(await File.ReadAllTextAsync(outPath)).Count);
        Assert.Equal(5, host.GetStats().Total.Requests);
    }

    [Fact]
    public async Task FailFast_CancelsWhatHasNotStarted_AndEveryLineGetsAResult()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines([Requests.Missing(host, 0), .. Enumerable.Range(1, 30).Select(i => Requests.Echo(host, i))]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--fail-fast", "--concurrency", "1", "--rps", "10", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(31, results.Count);
        Assert.Equal(404, results[0].GetProperty("status").GetInt32());
        Assert.StartsWith("line 1: HTTP 404", results[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        int cancelled = results.Count(r => r.GetProperty("error").ValueKind == JsonValueKind.String && r.GetProperty("error").GetString() == "cancelled");
        long sent = host.GetStats().Total.Requests;
        // At 10 a second, one request at a time, the 404 ends long before a second request is due.
        Assert.InRange(cancelled, 28, 30);
        Assert.Equal(31 - cancelled, sent);
    }

    [Fact]
    public async Task FailFast_LetsRequestsInFlightFinish()
    {
        await using SimulatorHost failing = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Latency = { Base = TimeSpan.FromMilliseconds(300) }, Faults = { ServerErrorRatio = 1 } });
        await using SimulatorHost slow = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Latency = { Base = TimeSpan.FromSeconds(2) } });
        string input = Requests.Lines([Requests.Echo(failing, 0), .. Enumerable.Range(1, 20).Select(i => Requests.Echo(slow, i))]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--fail-fast", "--concurrency", "4", "--retries", "0", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(21, results.Count);
        Assert.Equal(500, results[0].GetProperty("status").GetInt32());
        // Lines 2 to 4 were in flight when line 1 failed (300 ms into their 2 s): they finish.
        Assert.All(results.Skip(1).Take(3), r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        // Every request the service saw has its answer as its result; the others were never sent.
        long sent = slow.GetStats().Total.Requests;
        Assert.Equal(sent, results.Skip(1).Count(r => r.GetProperty("ok").GetBoolean()));
        Assert.Equal(20 - sent, results.Count(r => r.GetProperty("error").ValueKind == JsonValueKind.String && r.GetProperty("error").GetString() == "cancelled"));
        Assert.InRange(sent, 3, 4);
    }

    [Fact]
    public async Task ToldTheTrueLimits_TheProviderRefusesNothing_AndSeesNoMoreThanTheLimit()
    {
        await using SimulatorHost host = await StartWarmAsync(o =>
        {
            o.Limits.Default.RequestsPerSecond = 50;
            o.Latency.Jitter = TimeSpan.Zero;
        });
        string input = Requests.Lines(Enumerable.Range(0, 150).Select(i => Requests.Echo(host, i)));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--rps", "50", "--burst", "1", "--progress", "plain"], input);

        Assert.Equal(0, run.ExitCode);
        Pacer.Simulator.RouteStats total = host.GetStats().Total;
        Assert.True(total.Requests == 150, $"{total.Requests} requests, {total.MaxStartsPerSecond} most per second, {total.MaxStartsPer100Milliseconds} per 100 ms:\n{run.Error}");
        Assert.Equal(0, total.CountOf(429));
        Assert.InRange(total.MaxStartsPerSecond, 1, 50);

        // How close to the least time the run comes is measured in bench/cli-limits.sh, not here.
    }

    [Theory]
    [InlineData("v1/chat/completions", "20.0/s*")] // OpenAI's headers: a steadily refilling allowance, stated per minute
    [InlineData("echo", "100/s")]                      // GitHub-style headers: a fixed window, remaining until its reset
    public async Task ToldFiveTimesTheLimit_Adaptive_EverythingSucceeds_WithFewRefusals(string route, string limitInSummary)
    {
        const int Count = 120;
        await using SimulatorHost host = await StartWarmAsync(o => o.Limits.Default.RequestsPerSecond = 20);
        string input = Requests.Lines(Enumerable.Range(0, Count).Select(i =>
            $$"""{"model":"gpt-sim","messages":[{"role":"user","content":"hello {{i}}"}],"max_tokens":8}"""));

        CliRun run = await CliRun.InvokeAsync(
            ["run", "-", "--url", new Uri(host.BaseAddress, route).ToString(), "--rps", "100", "--adaptive", "--progress", "plain"], input);

        Assert.Equal(0, run.ExitCode);
        Pacer.Simulator.RouteStats total = host.GetStats().Total;
        Assert.Equal(Count, total.CountOf(200));
        Assert.True(total.CountOf(429) <= 0.05 * total.Requests, $"{total.CountOf(429)} of {total.Requests} calls answered 429:\n{run.Error}");
        Assert.Contains(limitInSummary, run.Error, StringComparison.Ordinal);

        // The time taken against the least the true limit allows is measured in bench/cli-limits.sh.
    }

    [Fact]
    public async Task UrlMode_SendsEachLineAsTheBody_AndCopiesMetadata()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines(Enumerable.Range(0, 3).Select(i => $$$"""{"n":{{{i}}},"metadata":{"row":{{{i}}}}}"""));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--url", new Uri(host.BaseAddress, "echo").ToString(), "-H", "X-Test: yes", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(3, results.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i, results[i].GetProperty("metadata").GetProperty("row").GetInt32());
            Assert.Equal(i, results[i].GetProperty("body").GetProperty("n").GetInt32());
        }
    }

    [Fact]
    public async Task Interrupted_WritesEveryResultReadSoFar_AndExits130()
    {
        await using SimulatorHost host = await StartAsync();
        string input = Requests.Lines(Enumerable.Range(0, 10).Select(i => Requests.Echo(host, i)));
        using var interrupt = new CancellationTokenSource();
        Task<CliRun> running = CliRun.InvokeAsync(["run", "-", "--rps", "2", "--progress", "none"], input, interrupt.Token);

        await host.WaitForStatsAsync(s => s.Total.CountOf(200) >= 1).WaitAsync(CliRun.Deadline);
        await interrupt.CancelAsync();
        CliRun run = await running;

        Assert.Equal(130, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(10, results.Count);
        // The provider has answered the first request; the client may have been interrupted while reading it.
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean() || r.GetProperty("error").GetString() == "cancelled"));
        Assert.True(results.Count(r => r.GetProperty("error").ValueKind == JsonValueKind.String) >= 8);
    }

    [Fact]
    public async Task ChatRequests_UnderATokenLimit_AndAnAdaptiveRate_AllSucceed()
    {
        await using SimulatorHost host = await StartAsync(o => o.Limits.Default.TokensPerMinute = 100_000);
        string chat = new Uri(host.BaseAddress, "v1/chat/completions").ToString();
        string input = Requests.Lines(Enumerable.Range(0, 6).Select(i =>
            $$$"""{"id":{{{i}}},"url":"{{{chat}}}","method":"POST","body":{"model":"m","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}}"""));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "100000", "--rps", "50", "--burst", "6", "--adaptive", "--timeout", "10s", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.Equal("chat.completion", r.GetProperty("body").GetProperty("object").GetString()));
        Assert.Equal(6 * (2 + 16), host.GetStats().Total.Tokens);
    }

    [Theory]
    [InlineData(false, 10, 5, 10)] // estimated at 1,001 tokens, each answer reports 21: the lane goes on at once
    [InlineData(true, 3, 1, 2)]    // a given cost of 1,001 stands: about one a second under 1,000 tokens a second
    public async Task TokenEstimates_AreCorrectedFromTheAnswersUsage_GivenCostsAreNot(bool givenCost, int requests, int leastBusiest, int mostBusiest)
    {
        await using SimulatorHost host = await StartAsync();
        string chat = new Uri(host.BaseAddress, "v1/chat/completions").ToString();
        string cost = givenCost ? ""","cost":1001""" : "";
        string input = Requests.Lines(Enumerable.Range(0, requests).Select(i =>
            $$$"""{"id":{{{i}}},"url":"{{{chat}}}","method":"POST"{{{cost}}},"body":{"model":"m","max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}}"""));

        // 60,000 tokens a minute: 1,000 a second, and a second's worth may start at once.
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--tpm", "60000", "--concurrency", "1", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(requests, CliRun.ReadResults(run.Out).Count);
        Assert.InRange(host.GetStats().Total.MaxStartsPerSecond, leastBusiest, mostBusiest);
        // The summary's token row: what the lane spent, corrected where the answers said.
        Assert.Contains(givenCost ? $"  tokens spent: {requests * 1001}\n" : $"  tokens spent: {requests * 21}\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableService_IsAFailedResult_NamingItsLine()
    {
        string input = Requests.Lines(["""{"url":"http://127.0.0.1:1/nothing"}"""]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--retries", "0", "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        JsonElement result = Assert.Single(CliRun.ReadResults(run.Out));
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.StartsWith("line 1: ", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rps", "0")]
    [InlineData("--resume")]
    [InlineData("--timeout", "soon")]
    [InlineData("--header", "no-colon")]
    [InlineData("--url", "ftp://x")]
    [InlineData("--progress", "loud")]
    public async Task UsageErrors_Exit2(params string[] extra)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", .. extra], "");

        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual(string.Empty, run.Error);
    }

    [Fact]
    public async Task MissingInputFile_Exits2()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "/nonexistent/pacer-input.jsonl", "--progress", "none"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExplainsTheOptions()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "--help"]);

        Assert.Equal(0, run.ExitCode);
        foreach (string option in (string[])["--out", "--url", "--unordered", "--window", "--rps", "--tpm", "--strict", "--fail-fast", "--resume", "--progress"])
        {
            Assert.Contains(option, run.Out, StringComparison.Ordinal);
        }
    }
}
