using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pacer.Simulator.Tests.Server;

/// <summary>A simulator started in-process on a free port, and a client for it that never uses a proxy.</summary>
internal sealed class RunningSimulator : IAsyncDisposable
{
    private RunningSimulator(SimulatorHost host)
    {
        Host = host;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimulatorHost Host { get; }

    public HttpClient Client { get; }

    public static async Task<RunningSimulator> StartAsync(SimulatorOptions? options = null, TimeProvider? time = null) =>
        new(await SimulatorHost.StartAsync(options ?? new SimulatorOptions(), time ?? TimeProvider.System, logToConsole: false, CancellationToken.None).DefaultTimeout());

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public Task<HttpResponseMessage> ChatAsync(string key = "key-1", int maxTokens = 10, string content = "hello", CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "gpt-sim", messages = new[] { new { role = "user", content } }, max_tokens = maxTokens }),
        };
        request.Headers.Authorization = new("Bearer", key);
        return Client.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> MessagesAsync(string key = "key-1", int maxTokens = 10, string content = "hello")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = JsonContent.Create(new { model = "claude-sim", max_tokens = maxTokens, messages = new[] { new { role = "user", content } } }),
        };
        request.Headers.Add("x-api-key", key);
        return Client.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path).DefaultTimeout();
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await ReadJsonAsync(response);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync().AsTask().DefaultTimeout();
    }
}
