using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pacer.Simulator;

namespace Pacer.Http.Tests.DependencyInjection;

public class RegistrationTests
{
    [Fact]
    public async Task AddPacer_RegistersOneEngine_WithItsLanes_ParentsFirst()
    {
        var services = new ServiceCollection();
        services.AddPacer(o => o
            .AddLane("openai/gpt-4o", lane => lane.MaxConcurrency = 2)
            .AddLane("openai", new LaneOptions { Rates = { RateLimit.PerMinute(500) } }));
        services.AddPacer(o => o.AddLane("github", lane => lane.MaxConcurrency = 4));
        await using ServiceProvider provider = services.BuildServiceProvider();

        PacerEngine engine = provider.GetRequiredService<PacerEngine>();

        Assert.Same(engine, provider.GetRequiredService<PacerEngine>());
        Assert.Equal(["default", "github", "openai", "openai/gpt-4o"], engine.LaneNames);
        Assert.Equal(2, engine.GetLaneSnapshot("openai/gpt-4o").MaxConcurrency);
        Assert.Equal([RateLimit.PerMinute(500)], engine.GetLaneSnapshot("openai").Rates);
    }

    [Fact]
    public async Task AddPacer_TakesTheContainersTimeProvider()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddPacer(o => o.Engine.PriorityAging = TimeSpan.FromSeconds(5));
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(time, provider.GetRequiredService<PacerEngine>().TimeProvider);
    }

    [Fact]
    public void AddLane_Twice_NamesTheDuplicate()
    {
        var options = new PacerServiceOptions().AddLane("openai", new LaneOptions());

        var error = Assert.Throws<ArgumentException>(() => options.AddLane("openai", _ => { }));

        Assert.StartsWith("Lane 'openai' was added already.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidLane_FailsWhenTheEngineIsBuilt_NamingTheLane()
    {
        var services = new ServiceCollection();
        services.AddPacer(o => o.AddLane("openai", lane => lane.MaxConcurrency = 0));
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<PacerEngine>());

        Assert.Equal("Lane 'openai': MaxConcurrency must be at least 1, got 0.", error.Message);
    }

    [Fact]
    public async Task AddPacerHandler_WithoutAddPacer_SaysWhatIsMissing()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("openai").AddPacerHandler("openai");
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("openai"));

        Assert.Equal(
            "HttpClient 'openai': AddPacerHandler needs a PacerEngine in the container; register one with services.AddPacer(…).",
            error.Message);
    }

    [Fact]
    public async Task AddPacerHandler_InvalidOptions_FailWhenTheClientIsMade()
    {
        var services = new ServiceCollection();
        services.AddPacer(o => o.AddLane("openai", new LaneOptions()));
        services.AddHttpClient("openai").AddPacerHandler("openai", o => o.AttemptTimeout = TimeSpan.FromSeconds(-1));
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("openai"));

        Assert.Equal("PacerHttpOptions: AttemptTimeout must be positive, got -00:00:01.", error.Message);
    }

    [Fact]
    public async Task FactoryClient_SendsThroughItsLane_AsTheSimulatorSees()
    {
        await using SimulatorHost simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Latency = { Base = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(20) },
        }).DefaultTimeout();
        var services = new ServiceCollection();
        services.AddPacer(o => o.AddLane("listing", lane => lane.MaxConcurrency = 1));
        services.AddHttpClient("listing", client => client.BaseAddress = simulator.BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false })
            .AddPacerHandler("listing", o => o.Priority = 10);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("listing");

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.GetAsync(new Uri($"api/projects/1/suites?offset={i}&limit=1", UriKind.Relative)))).DefaultTimeout();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Array.ForEach(responses, r => r.Dispose());
        Assert.Equal(8, provider.GetRequiredService<PacerEngine>().GetLaneSnapshot("listing").Succeeded);

        // One at a time, give or take the request whose answer the simulator is still finishing.
        Assert.InRange(simulator.GetStats().Total.MaxConcurrent, 1, 2);
    }
}
