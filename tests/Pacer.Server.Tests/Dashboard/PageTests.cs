using System.Net;
using System.Text.Json;

namespace Pacer.Server.Tests.Dashboard;

/// <summary>What the dashboard needs of the server: its files without a key, nothing else without one, and the run's progress and summary.</summary>
public sealed class PageTests
{
    [Fact]
    public async Task ThePagesAndTheirFiles_NeedNoKey_HoldNoData_AndForbidFramingAndForeignScripts()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2"), new Dictionary<string, string> { ["PACER_API_KEY"] = "k-123" });
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        foreach (string path in (string[])["/", "/lanes", "/runs/r0123456789abcdef"])
        {
            using HttpResponseMessage page = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
            string policy = page.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("<script src=\"/app/main.js\" type=\"module\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (string file in (string[])["/app/main.js", "/app/app.css", "/vendor/uplot/uPlot.iife.min.js"])
        {
            using HttpResponseMessage served = await anonymous.GetAsync(file);
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{file}: {(int)served.StatusCode}");
        }

        // Anything else still needs the key: the API, a path under a run's page, another method on a page.
        foreach (string path in (string[])["/api/runs", "/api/lanes", "/runs/x/jobs", "/app/missing.js"])
        {
            using HttpResponseMessage refused = await anonymous.GetAsync(path);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)refused.StatusCode}");
        }

        using HttpResponseMessage posted = await anonymous.PostAsync("/", new StringContent("x"));
        Assert.Equal(HttpStatusCode.Unauthorized, posted.StatusCode);
        JsonElement health = JsonDocument.Parse(await anonymous.GetStringAsync("/health")).RootElement;
        Assert.True(health.GetProperty("apiKey").GetBoolean());
    }

    [Fact]
    public async Task ARunningRun_HasAProgressEventEachSecond_AndAnEndedOne_ASummaryAgainstItsLeastTime()
    {
        await using var gate = new Gate();
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 2\n    rps: 50\n    burst: 4"));
        using var stream = await EventStream.OpenAsync(server.Http, lastEventId: null);
        string run = await server.SubmitAsync(Enumerable.Range(0, 10).Select(i => Lines.Get(gate.BaseUri, i)), "?name=watched");
        await ServerProcess.WaitUntilAsync(() => Task.FromResult(gate.Targets.Count == 2), "two requests at the service");

        // While the gate holds two requests: the run's progress, with its lane's part.
        SseEvent progress;
        do
        {
            progress = await stream.NextAsync();
        }
        while (progress.Type != "progress" || progress.Data.GetProperty("counts").GetProperty("running").GetInt64() != 2);

        Assert.Equal(run, progress.Data.GetProperty("id").GetString());
        Assert.Equal("watched", progress.Data.GetProperty("name").GetString());
        JsonElement lane = progress.Data.GetProperty("executionMetrics").GetProperty("providers")[0];
        Assert.Equal("svc", lane.GetProperty("provider").GetString());
        Assert.Equal(2, lane.GetProperty("activeJobs").GetInt64());
        Assert.Equal(10, lane.GetProperty("totalJobs").GetInt64());
        Assert.Equal(0, lane.GetProperty("doneJobs").GetInt64());
        Assert.Equal(JsonValueKind.Null, progress.Data.GetProperty("summary").ValueKind);

        gate.Open();
        SseEvent end;
        var jobs = new List<SseEvent>();
        do
        {
            end = await stream.NextAsync();
            if (end.Type == "job")
            {
                jobs.Add(end);
            }
        }
        while (end.Type != "run" || end.Data.GetProperty("status").GetString() != "completed");

        // Each job's end says how many attempts it took, for the job table's row.
        Assert.Equal(10, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(1, j.Data.GetProperty("attempts").GetInt32()));

        JsonElement ended = await server.GetJsonAsync($"/api/runs/{run}");
        JsonElement summary = ended.GetProperty("summary");

        // Ten requests at 50 a second with a burst of 4 take (10 − 4) / 50 = 0.12 s at the least; two
        // at a time at the lane's average latency L (the gate held the first ones), 10 × L / 2.
        double latency = (await server.GetJsonAsync("/api/lanes/svc")).GetProperty("now").GetProperty("averageLatencyMs").GetDouble() / 1000;
        // Both sides are rounded (the least time to 0.01 s, the latency to 0.1 ms): equal within 0.02 s.
        double least = Math.Max(0.12, 10 * latency / 2);
        Assert.InRange(summary.GetProperty("leastSeconds").GetDouble(), least - 0.02, least + 0.02);
        Assert.Equal("svc", summary.GetProperty("slowestLane").GetString());
        JsonElement part = summary.GetProperty("lanes")[0];
        Assert.Equal(10, part.GetProperty("succeeded").GetInt64());
        Assert.True(part.GetProperty("seconds").GetDouble() <= summary.GetProperty("elapsedSeconds").GetDouble());
        Assert.True(summary.GetProperty("elapsedSeconds").GetDouble() > 0);

        // Each lane's answers of 429 are counted for its chart.
        Assert.Equal(0, (await server.GetJsonAsync("/api/lanes/svc")).GetProperty("now").GetProperty("tooManyRequests").GetInt64());
    }
}
