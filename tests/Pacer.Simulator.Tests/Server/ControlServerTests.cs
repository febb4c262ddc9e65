using System.Net;
using System.Text;

namespace Pacer.Simulator.Tests.Server;

public class ControlServerTests
{
    [Fact]
    public async Task Echo_ReturnsTheBodyAndContentType()
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var response = await sim.Client.PostAsync("echo", new StringContent("hello, pacer", Encoding.UTF8, "text/plain")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello, pacer", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Stats_ReportWhatTheServiceSaw()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 2 } } });
        for (int i = 0; i < 3; i++)
        {
            using var response = await sim.ChatAsync(maxTokens: 10, content: "1234").DefaultTimeout();
        }

        var stats = await sim.GetJsonAsync("_sim/stats");

        var total = stats.GetProperty("total");
        Assert.Equal(3, total.GetProperty("requests").GetInt32());
        Assert.Equal(2, total.GetProperty("byStatus").GetProperty("200").GetInt32());
        Assert.Equal(1, total.GetProperty("byStatus").GetProperty("429").GetInt32());
        Assert.Equal(22, total.GetProperty("tokens").GetInt32());
        Assert.InRange(total.GetProperty("maxStartsPerSecond").GetInt32(), 1, 3);
        Assert.InRange(total.GetProperty("maxStartsPer100Milliseconds").GetInt32(), 1, 3);
        Assert.Equal(1, total.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal(0, total.GetProperty("inFlight").GetInt32());
        Assert.Equal(3, stats.GetProperty("byRoute").GetProperty("chat").GetProperty("requests").GetInt32());
        Assert.Equal(0, stats.GetProperty("byRoute").GetProperty("echo").GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task Stats_CountEveryStartOfABurst()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var burst = Enumerable.Range(0, 20).Select(_ => sim.Client.PostAsync("echo", RunningSimulator.Json("{}"))).ToArray();
        foreach (var response in await Task.WhenAll(burst).DefaultTimeout())
        {
            response.Dispose();
        }

        var stats = sim.Host.GetStats();
        Assert.Equal(20, stats.Total.CountOf(200));
        Assert.InRange(stats.Total.MaxStartsPerSecond, stats.Total.MaxStartsPer100Milliseconds, 20);
        Assert.InRange(stats.Total.MaxConcurrent, 1, 20);
    }

    [Fact]
    public async Task Reset_ClearsStatsAndOptionallyTheLimitWindows()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 1 } } });
        using (await sim.ChatAsync().DefaultTimeout())
        {
        }

        using var reset = await sim.Client.PostAsync("_sim/reset", null).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(0, sim.Host.GetStats().Total.Requests);
        using var stillLimited = await sim.ChatAsync().DefaultTimeout();
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);

        using var resetAll = await sim.Client.PostAsync("_sim/reset?limits=true", null).DefaultTimeout();
        using var accepted = await sim.ChatAsync().DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Limits_HalvedMidRunOverHttp_ApplyAtOnce()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 10 } } });
        for (int i = 0; i < 6; i++)
        {
            using var ok = await sim.ChatAsync().DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var update = await sim.Client.PostAsync("_sim/limits", RunningSimulator.Json("""{"default":{"requestsPerMinute":5}}""")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        using var rejected = await sim.ChatAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("5", rejected.Header("x-ratelimit-limit-requests"));
        Assert.Equal(5, sim.Host.Limits.Default.RequestsPerMinute);
        var current = await sim.GetJsonAsync("_sim/limits");
        Assert.Equal(5, current.GetProperty("default").GetProperty("requestsPerMinute").GetInt32());
    }

    [Fact]
    public async Task Limits_RulesByKeyAndRoute_AreAcceptedAsJson()
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var update = await sim.Client.PostAsync(
            "_sim/limits",
            RunningSimulator.Json("""{"rules":[{"apiKey":"slow","route":"chat","limits":{"requestsPerMinute":1}}]}""")).DefaultTimeout();
        using var first = await sim.ChatAsync(key: "slow").DefaultTimeout();
        using var second = await sim.ChatAsync(key: "slow").DefaultTimeout();
        using var otherKey = await sim.ChatAsync(key: "fast").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Theory]
    [InlineData("""{"default":{"requestsPerMinute":0}}""", "Default.RequestsPerMinute must be at least 1, got 0.")]
    [InlineData("""{"default":{"requestsPerMinut":5}}""", "'requestsPerMinut'")]
    [InlineData("""{"rules":[{"route":"files","limits":{}}]}""", "$.rules[0].route")]
    public async Task Limits_InvalidJson_Is400NamingTheField(string json, string expected)
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 7 } } });

        using var response = await sim.Client.PostAsync("_sim/limits", RunningSimulator.Json(json)).DefaultTimeout();
        var body = await RunningSimulator.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(7, sim.Host.Limits.Default.RequestsPerMinute);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsNamingTheField()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync(new SimulatorOptions { Port = 70_000 }).DefaultTimeout());

        Assert.Equal("Port must be from 0 to 65535, got 70000.", error.Message);
    }
}
