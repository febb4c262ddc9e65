using System.Text.Json;
using Pacer.Simulator;

namespace Pacer.Server.Tests;

/// <summary>
/// Plan 002's load: 1,000 items of mixed priorities against a service with a hidden limit that
/// also answers some requests 503 and some slowly, with items cancelled while queued and while
/// running. Every item ends once, the cancelled ones as cancelled; the service never sees its
/// limit exceeded; higher priorities finish first on average.
/// </summary>
[Collection(Alone.Name)]
public sealed class LoadTests
{
    private const int Items = 1000;
    private const int Limit = 100;

    [Fact]
    public async Task AThousandItems_EndOnceEach_WithinTheLimit_HigherPrioritiesFirst()
    {
        await using SimulatorHost sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Limits = new SimulatorLimits { Default = new LimitOptions { RequestsPerSecond = Limit } },
            Latency = new LatencyOptions { Base = TimeSpan.FromMilliseconds(10) },
            Faults = new FaultOptions { UnavailableRatio = 0.03, UnavailableRetryAfter = TimeSpan.FromMilliseconds(100), SlowRatio = 0.03, SlowDelay = TimeSpan.FromSeconds(3) },
        });
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("sim", sim.BaseAddress, $"    rps: {Limit}\n    concurrency: 32"));
        using EventStream events = await EventStream.OpenAsync(server.Http, lastEventId: null);
        string run = await server.SubmitAsync(Enumerable.Range(0, Items).Select(i => Lines.Echo(sim.BaseAddress, i).Replace("\"method\"", $"\"priority\":{i % 4},\"method\"", StringComparison.Ordinal)));

        // Cancelled while queued: twenty of the lowest priority near the end.
        var cancelled = new HashSet<int>();
        foreach (int index in Enumerable.Range(900, 100).Where(i => i % 4 == 0).Take(20))
        {
            JsonElement answer = await server.PostJsonAsync($"/api/runs/{run}/jobs/{index}/cancel");
            Assert.Equal("cancelled", answer.GetProperty("state").GetString());
            cancelled.Add(index);
        }

        // Cancelled while running: slow answers keep a few in flight long enough to be caught.
        int caughtRunning = 0;
        await ServerProcess.WaitUntilAsync(async () =>
        {
            JsonElement running = await server.GetJsonAsync($"/api/runs/{run}/jobs?state=running&limit=3");
            foreach (JsonElement job in running.GetProperty("jobs").EnumerateArray())
            {
                int index = job.GetProperty("index").GetInt32();
                JsonElement answer = await server.PostJsonAsync($"/api/runs/{run}/jobs/{index}/cancel");
                if (answer.GetProperty("state").GetString() == "cancelled")
                {
                    cancelled.Add(index);
                    caughtRunning++;
                }
            }

            return caughtRunning >= 3;
        }, "three jobs cancelled while running");

        var finished = new List<SseEvent>();
        while (true)
        {
            SseEvent next = await events.NextAsync();
            if (next.Type == "job" && next.Data.GetProperty("run").GetString() == run)
            {
                finished.Add(next);
            }
            else if (next.Type == "run" && next.Data.GetProperty("id").GetString() == run && next.Data.GetProperty("status").GetString() is "completed" or "failed")
            {
                break;
            }
        }

        // Every item ends once, the cancelled ones as cancelled.
        List<JsonElement> results = await server.ResultsAsync(run, "?limit=10000");
        Assert.Equal(Enumerable.Range(0, Items), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(Items, finished.Select(e => e.Data.GetProperty("index").GetInt32()).Distinct().Count());
        Assert.Equal(Items, finished.Count);
        Assert.All(cancelled, i => Assert.Equal("cancelled", results[i].GetProperty("error").GetString()));
        JsonElement counts = (await server.GetJsonAsync($"/api/runs/{run}")).GetProperty("counts");
        Assert.Equal(cancelled.Count, counts.GetProperty("cancelled").GetInt64());
        Assert.Equal(Items - cancelled.Count, counts.GetProperty("succeeded").GetInt64() + counts.GetProperty("failed").GetInt64());

        // The service's side: its limit (a fixed window of a second on this route) never exceeded, so never a 429.
        // Its sliding count of arrivals is not asserted: the simulator runs in this busy test process,
        // and a stall of its threads stamps requests that were sent evenly as one clump.
        RouteStats echo = sim.GetStats().ByRoute[SimulatorRoute.Echo];
        Assert.Equal(0, echo.CountOf(429));
        Assert.True(echo.CountOf(503) > 0, "no 503 was injected");

        // Higher priorities finish first on average.
        double[] meanPlace = [.. Enumerable.Range(0, 4).Select(p => finished
            .Select((e, place) => (Index: e.Data.GetProperty("index").GetInt32(), Place: place))
            .Where(x => x.Index % 4 == p && !cancelled.Contains(x.Index))
            .Average(x => x.Place))];
        Assert.True(meanPlace[3] < meanPlace[2] && meanPlace[2] < meanPlace[1] && meanPlace[1] < meanPlace[0], $"mean places by priority 0..3: {string.Join(", ", meanPlace.Select(m => m.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
