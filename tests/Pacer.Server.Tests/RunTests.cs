using System.Net;
using System.Text.Json;
using Pacer.Simulator;

namespace Pacer.Server.Tests;

/// <summary>A run through <c>pacer serve</c> end to end: submit, watch, page the results, cancel one job and a run, judged from the service's side.</summary>
public sealed class RunTests
{
    [Fact]
    public async Task EveryLine_GetsOneResult_InInputOrder_AndTheServiceSeesEachRequestOnce()
    {
        await using SimulatorHost sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Limits = new SimulatorLimits { Default = new LimitOptions { RequestsPerSecond = 50 } },
        });
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("sim", sim.BaseAddress, "    rps: 40\n    concurrency: 8"));
        List<string> lines = [.. Enumerable.Range(0, 120).Select(i => Lines.Echo(sim.BaseAddress, i))];
        lines.Insert(60, "{not json");

        string run = await server.SubmitAsync(lines, "?name=first");
        JsonElement done = await server.WaitForStatusAsync(run, "completed");

        Assert.Equal(121, done.GetProperty("jobs").GetInt64());
        Assert.Equal(120, done.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(1, done.GetProperty("counts").GetProperty("failed").GetInt64());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("executionMetrics").ValueKind);
        List<JsonElement> results = await server.ResultsAsync(run, "?limit=10000");
        Assert.Equal(Enumerable.Range(0, 121), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Contains("line 61", results[60].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.All(results.Where(r => r.GetProperty("index").GetInt32() != 60), r =>
        {
            Assert.True(r.GetProperty("ok").GetBoolean());
            Assert.Equal(r.GetProperty("id").GetInt32(), r.GetProperty("body").GetProperty("n").GetInt32());
        });

        // The service's own count: each request once, and none refused.
        RouteStats echo = sim.GetStats().ByRoute[SimulatorRoute.Echo];
        Assert.Equal(120, echo.Requests);
        Assert.Equal(0, echo.CountOf(429));
    }

    [Fact]
    public async Task Results_ArePaged_AndStreamedUntilTheRunEnds()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 4"));
        string run = await server.SubmitAsync(Enumerable.Range(0, 30).Select(i => Lines.Get(gate.BaseUri, i)));

        // Streaming from the start: nothing is ready until the service answers.
        Task<List<JsonElement>> streamed = server.ResultsAsync(run, "?wait=true");
        Assert.Empty(await server.ResultsAsync(run));
        gate.Open();

        List<JsonElement> all = await streamed;
        Assert.Equal(Enumerable.Range(0, 30), all.Select(r => r.GetProperty("index").GetInt32()));
        List<JsonElement> page = await server.ResultsAsync(run, "?after=9&limit=5");
        Assert.Equal([10, 11, 12, 13, 14], page.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(30, gate.Targets.Count);
    }

    [Fact]
    public async Task CancellingOneJob_QueuedOrRunning_EndsItCancelled_AndAQueuedOneIsNeverSent()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2"));
        string run = await server.SubmitAsync(Enumerable.Range(0, 6).Select(i => Lines.Get(gate.BaseUri, i)));
        await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 2), "two requests at the service");
        await server.WaitForStatusAsync(run, "running");
        await ServerProcess.WaitUntilAsync(
            async () => (await server.GetJsonAsync($"/api/runs/{run}")).GetProperty("counts").GetProperty("running").GetInt64() == 2,
            "two jobs counted running");

        JsonElement runningJobs = await server.GetJsonAsync($"/api/runs/{run}/jobs?state=running");
        Assert.Equal([0, 1], runningJobs.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("index").GetInt32()));
        JsonElement queuedJobs = await server.GetJsonAsync($"/api/runs/{run}/jobs?state=queued&lane=svc&after=2&limit=2");
        Assert.Equal([3, 4], queuedJobs.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("index").GetInt32()));
        Assert.Equal($"/api/runs/{run}/jobs?after=4&limit=2&state=queued&lane=svc", queuedJobs.GetProperty("next").GetString());

        JsonElement queued = await server.PostJsonAsync($"/api/runs/{run}/jobs/4/cancel");
        JsonElement inFlight = await server.PostJsonAsync($"/api/runs/{run}/jobs/0/cancel");
        Assert.Equal("cancelled", queued.GetProperty("state").GetString());
        Assert.Equal("cancelled", inFlight.GetProperty("state").GetString());
        gate.Open();

        JsonElement done = await server.WaitForStatusAsync(run, "completed");
        Assert.Equal(2, done.GetProperty("counts").GetProperty("cancelled").GetInt64());
        Assert.Equal(4, done.GetProperty("counts").GetProperty("succeeded").GetInt64());
        List<JsonElement> results = await server.ResultsAsync(run);
        Assert.Equal(6, results.Count);
        Assert.Equal("cancelled", results[0].GetProperty("error").GetString());
        Assert.Equal("cancelled", results[4].GetProperty("error").GetString());
        Assert.Equal(4, results[4].GetProperty("id").GetInt32());
        Assert.DoesNotContain("/j/4", gate.Targets);
        Assert.Contains("/j/0", gate.Targets);

        // A job that has ended stays as it ended.
        JsonElement again = await server.PostJsonAsync($"/api/runs/{run}/jobs/1/cancel");
        Assert.Equal("succeeded", again.GetProperty("state").GetString());
    }

    [Fact]
    public async Task CancellingARun_EndsEveryJobThatHadNotEnded_AndSendsNoMore()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2"));
        string run = await server.SubmitAsync(Enumerable.Range(0, 10).Select(i => Lines.Get(gate.BaseUri, i)));
        await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 2), "two requests at the service");

        JsonElement cancelled = await server.PostJsonAsync($"/api/runs/{run}/cancel");
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        gate.Open();

        List<JsonElement> results = await server.ResultsAsync(run);
        Assert.Equal(Enumerable.Range(0, 10), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(results, r => Assert.Equal("cancelled", r.GetProperty("error").GetString()));
        JsonElement after = await server.GetJsonAsync($"/api/runs/{run}");
        Assert.Equal(10, after.GetProperty("counts").GetProperty("cancelled").GetInt64());
        Assert.Equal(2, gate.Targets.Count);
    }

    [Fact]
    public async Task ARunWithAnIdempotencyKey_IsMadeOnce()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2"));
        string[] lines = [Lines.Get(gate.BaseUri, 0), Lines.Get(gate.BaseUri, 1)];

        using HttpResponseMessage first = await server.PostLinesAsync(lines, idempotencyKey: "batch-7");
        using HttpResponseMessage second = await server.PostLinesAsync(lines, idempotencyKey: "batch-7");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        string id = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(id, JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        JsonElement runs = await server.GetJsonAsync("/api/runs");
        Assert.Equal(1, runs.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task ARunningRun_ShowsItsLanesMetrics_AndItsEta()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 3\n    rps: 50"));
        string run = await server.SubmitAsync(Enumerable.Range(0, 8).Select(i => Lines.Get(gate.BaseUri, i)));
        await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 3), "three requests at the service");

        JsonElement view = await server.GetJsonAsync($"/api/runs/{run}");
        JsonElement metrics = view.GetProperty("executionMetrics");
        JsonElement lane = Assert.Single(metrics.GetProperty("providers").EnumerateArray());
        Assert.Equal("svc", lane.GetProperty("provider").GetString());
        Assert.Equal(3, lane.GetProperty("activeJobs").GetInt64());
        Assert.Equal(5, lane.GetProperty("queuedJobs").GetInt64());
        Assert.Equal(3, lane.GetProperty("maxParallel").GetInt32());
        Assert.Equal(3000, lane.GetProperty("requestsPerMinute").GetDouble());
        Assert.Equal(3, metrics.GetProperty("totalActive").GetInt64());
        Assert.Equal(5, metrics.GetProperty("totalQueued").GetInt64());
        gate.Open();
        JsonElement done = await server.WaitForStatusAsync(run, "completed");
        Assert.Equal(0, done.GetProperty("etaSeconds").GetDouble());
    }
}
