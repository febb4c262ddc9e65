using System.Net;
using System.Text;
using System.Text.Json;

namespace Pacer.Server.Tests;

/// <summary>Plan 003's processing modes: <c>POST /api/runs?mode=…&amp;wait=true</c> answers with every result and the run's metrics.</summary>
public sealed class ModeTests
{
    [Fact]
    public async Task Sequential_SendsOneAtATime_InInputOrder_AndSaysSo()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 4"));

        JsonElement answer = await PostAsync(server, "?mode=sequential&wait=true", Enumerable.Range(0, 5).Select(i => Lines.Get(gate.BaseUri, i)));

        JsonElement metrics = answer.GetProperty("metrics");
        Assert.Equal("sequential", metrics.GetProperty("processing_mode_used").GetString());
        Assert.Equal(1, metrics.GetProperty("parallel_tasks_spawned").GetInt32());
        Assert.Empty(metrics.GetProperty("fallbacks").EnumerateArray());
        Assert.Equal(Enumerable.Range(0, 5), answer.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(answer.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("ok").GetBoolean()));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"/j/{i}"), gate.Targets);
        long sum = answer.GetProperty("results").EnumerateArray().Sum(r => r.GetProperty("ms").GetInt64());
        Assert.Equal(sum, metrics.GetProperty("estimated_sequential_time_ms").GetInt64());
        string run = answer.GetProperty("id").GetString()!;
        Assert.Equal("sequential", (await server.GetJsonAsync($"/api/runs/{run}")).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Auto_RunsInParallel_WithTheFallbackItTookAndWhy_AndCombinedIsRefusedWithTheReason()
    {
        await using var gate = new Gate(open: true);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, Lines.Lane("svc", gate.BaseUri, "    concurrency: 3"));

        JsonElement answer = await PostAsync(server, "?mode=auto&maxConcurrency=2&wait=true", Enumerable.Range(0, 8).Select(i => Lines.Get(gate.BaseUri, i)));

        JsonElement metrics = answer.GetProperty("metrics");
        Assert.Equal("auto", metrics.GetProperty("processing_mode_requested").GetString());
        Assert.Equal("parallel", metrics.GetProperty("processing_mode_used").GetString());
        Assert.InRange(metrics.GetProperty("parallel_tasks_spawned").GetInt32(), 1, 2);
        JsonElement fallback = Assert.Single(metrics.GetProperty("fallbacks").EnumerateArray());
        Assert.Equal("combined", fallback.GetProperty("from").GetString());
        Assert.Contains("combine", fallback.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, answer.GetProperty("results").GetArrayLength());

        using HttpResponseMessage combined = await server.PostLinesAsync([Lines.Get(gate.BaseUri, 0)], "?mode=combined");
        Assert.Equal(HttpStatusCode.BadRequest, combined.StatusCode);
        JsonElement problem = JsonDocument.Parse(await combined.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("mode", problem.GetProperty("field").GetString());
        Assert.Contains("'svc'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, gate.Targets.Count);
    }

    private static async Task<JsonElement> PostAsync(ServerProcess server, string query, IEnumerable<string> lines)
    {
        using HttpResponseMessage response = await server.PostLinesAsync(lines, query);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
