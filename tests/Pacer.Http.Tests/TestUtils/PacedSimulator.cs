using Pacer.Simulator;

namespace Pacer.Http.Tests;

/// <summary>
/// A simulator on 127.0.0.1, an engine with real time, and an HttpClient that sends through a
/// <see cref="PacerHttpHandler"/> into a recording handler, then to the network without a proxy.
/// </summary>
internal sealed class PacedSimulator : IAsyncDisposable
{
    public const string Lane = "sim";

    private PacedSimulator(SimulatorHost host, PacerEngine engine, RecordingHandler recorder, HttpClient client)
    {
        Host = host;
        Engine = engine;
        Recorder = recorder;
        Client = client;
        Direct = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimulatorHost Host { get; }

    public PacerEngine Engine { get; }

    public RecordingHandler Recorder { get; }

    public HttpClient Client { get; }

    /// <summary>A client that bypasses Pacer, to spend the service's limits behind the lane's back.</summary>
    public HttpClient Direct { get; }

    /// <param name="simulatorTime">The simulator's clock; the engine keeps real time.</param>
    public static async Task<PacedSimulator> StartAsync(SimulatorOptions simulator, LaneOptions lane, PacerHttpOptions? http = null, TimeProvider? simulatorTime = null)
    {
        SimulatorHost host = await SimulatorHost.StartAsync(simulator, simulatorTime ?? TimeProvider.System).DefaultTimeout();

        // A service is warm when a client meets it; this one has just started in this process, and
        // its first answers would come late and bunch the arrivals the tests judge.
        using (var warm = new HttpClient { BaseAddress = host.BaseAddress })
        {
            (await warm.PostAsync(new Uri("echo", UriKind.Relative), new StringContent("{}")).DefaultTimeout()).Dispose();
        }

        host.Reset(clearLimitWindows: true);
        var engine = new PacerEngine();
        engine.AddLane(Lane, lane);
        http ??= new PacerHttpOptions();
        http.Lane ??= Lane;
        var recorder = new RecordingHandler(new SocketsHttpHandler { UseProxy = false });
        var client = new HttpClient(new PacerHttpHandler(engine, http, recorder))
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        return new PacedSimulator(host, engine, recorder, client);
    }

    /// <summary>A plain echo request, answered with GitHub-style headers.</summary>
    public static HttpRequestMessage Echo(string body = "{}") =>
        new(HttpMethod.Post, "echo") { Content = new StringContent(body) };

    /// <summary>An OpenAI-shaped chat completion request.</summary>
    public static HttpRequestMessage Chat(string key = "key-1", int maxTokens = 8)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { model = "gpt-sim", messages = new[] { new { role = "user", content = "hello" } }, max_tokens = maxTokens }),
        };
        request.Headers.Authorization = new("Bearer", key);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Direct.Dispose();
        await Engine.DisposeAsync();
        await Host.DisposeAsync().AsTask().DefaultTimeout();
    }
}
