using System.Net;
using System.Text;
using System.Text.Json;

namespace Pacer.Server.Tests;

/// <summary>Watching and steering a server while it runs: the event stream, and a lane's limits changed mid-run.</summary>
public sealed class LiveTests
{
    [Fact]
    public async Task TheEventStream_ShowsLanesRunsAndJobs_WithRisingIds_AndResumesAfterALastEventId()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2"));
        using var stream = await EventStream.OpenAsync(server.Http, lastEventId: null);

        // A snapshot of the lanes comes at once, before anything runs.
        Assert.Equal("lanes", (await stream.NextAsync()).Type);
        string run = await server.SubmitAsync(Enumerable.Range(0, 5).Select(i => Lines.Get(gate.BaseUri, i)));
        var seen = new List<SseEvent>();
        while (!seen.Any(e => e.Type == "run" && e.Data.GetProperty("status").GetString() == "completed"))
        {
            seen.Add(await stream.NextAsync());
        }

        Assert.Equal(seen.Select(e => e.Id).Order(), seen.Select(e => e.Id));
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal([0, 1, 2, 3, 4], seen.Where(e => e.Type == "job").Select(e => e.Data.GetProperty("index").GetInt32()).Order());
        Assert.All(seen.Where(e => e.Type == "job"), e => Assert.Equal(run, e.Data.GetProperty("run").GetString()));
        Assert.Contains(seen, e => e.Type == "run" && e.Data.GetProperty("status").GetString() == "queued");

        // Reconnecting after an event gets the ones after it, in order.
        SseEvent firstJob = seen.First(e => e.Type == "job");
        using var resumed = await EventStream.OpenAsync(server.Http, firstJob.Id);
        SseEvent next = await resumed.NextAsync();
        Assert.Equal(firstJob.Id + 1, next.Id);
    }

    [Fact]
    public async Task ALaneChangedMidRun_TakesEffectAtOnce_AsTheServiceSees()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 1\n    rps: 100"));
        string run = await server.SubmitAsync(Enumerable.Range(0, 6).Select(i => Lines.Get(gate.BaseUri, i)));
        await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 1), "one request at the service");

        using HttpResponseMessage changed = await server.Http.PatchAsync("/api/lanes/svc", new StringContent("""{"concurrency": 3}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(3, JsonDocument.Parse(await changed.Content.ReadAsStringAsync()).RootElement.GetProperty("limits").GetProperty("maxConcurrency").GetInt32());

        await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 3), "three requests at the service");
        gate.Open();
        await server.WaitForStatusAsync(run, "completed");
        JsonElement lane = await server.GetJsonAsync("/api/lanes/svc");
        Assert.Equal(3, lane.GetProperty("limits").GetProperty("maxConcurrency").GetInt32());
        Assert.Equal(100, lane.GetProperty("limits").GetProperty("rates")[0].GetProperty("permits").GetInt64());
    }

    [Theory]
    [InlineData("""{"rps": "fast"}""", "rps")]
    [InlineData("""{"rps": 0}""", "rps")]
    [InlineData("""{"speed": 5}""", "speed")]
    [InlineData("""{}""", "body")]
    [InlineData("""[1]""", "body")]
    [InlineData("""{"rps":""", "body")]
    public async Task AChangeThatCannotBe_IsRefused_NamingTheField(string body, string field)
    {
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", new Uri("http://127.0.0.1:9/"), "    concurrency: 1"));

        using HttpResponseMessage refused = await server.Http.PatchAsync("/api/lanes/svc", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        using HttpResponseMessage missing = await server.Http.PatchAsync("/api/lanes/nope", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
