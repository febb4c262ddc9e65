using System.Net;

namespace Pacer.Simulator.Tests.Server;

public class FaultServerTests
{
    [Fact]
    public async Task Drop_AbortsTheConnectionAndIsCounted()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Faults = { DropRatio = 1 } });

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.Client.PostAsync("echo", RunningSimulator.Json("{}")).DefaultTimeout());

        var stats = await sim.Host.WaitForStatsAsync(s => s.Total.Dropped == 1).DefaultTimeout();
        Assert.Equal(1, stats.ByRoute[SimulatorRoute.Echo].Dropped);
        Assert.Empty(stats.Total.ByStatus);
    }

    [Fact]
    public async Task Unavailable_Is503WithTheConfiguredRetryAfter()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions
        {
            Faults = { UnavailableRatio = 1, UnavailableRetryAfter = TimeSpan.FromSeconds(2) },
        });

        using var response = await sim.MessagesAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter!.Delta);
        Assert.Equal("overloaded_error", (await RunningSimulator.ReadJsonAsync(response)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ServerError_Is500()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Faults = { ServerErrorRatio = 1 } });

        using var response = await sim.ChatAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("server_error", (await RunningSimulator.ReadJsonAsync(response)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Ratios_AreDrawnFromTheSeed()
    {
        var options = new SimulatorOptions { Seed = 5, Faults = { ServerErrorRatio = 0.5 } };
        var runs = new List<string>();
        for (int run = 0; run < 2; run++)
        {
            await using var sim = await RunningSimulator.StartAsync(options);
            var statuses = new List<int>();
            for (int i = 0; i < 40; i++)
            {
                using var response = await sim.Client.PostAsync("echo", RunningSimulator.Json("{}")).DefaultTimeout();
                statuses.Add((int)response.StatusCode);
            }

            Assert.InRange(statuses.Count(s => s == 500), 8, 32);
            runs.Add(string.Join(",", statuses));
        }

        Assert.Equal(runs[0], runs[1]);
    }

    [Fact]
    public async Task Dispose_EndsRequestsWaitingOutTheirLatency()
    {
        var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Latency = { Base = TimeSpan.FromMinutes(10) } });
        var pending = sim.Client.PostAsync("echo", RunningSimulator.Json("{}"));
        await sim.Host.WaitForStatsAsync(s => s.Total.InFlight == 1).DefaultTimeout();

        await sim.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => pending.DefaultTimeout());
    }
}
