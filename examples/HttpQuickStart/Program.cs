using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Pacer;
using Pacer.Simulator;

// A local stand-in for a provider: an OpenAI-shaped API that accepts at most 5 requests a second
// per key (beyond that: 429 with Retry-After) and takes 50 ms per answer.
await using SimulatorHost provider = await SimulatorHost.StartAsync(new SimulatorOptions
{
    Limits = { Default = { RequestsPerSecond = 5 } },
    Latency = { Base = TimeSpan.FromMilliseconds(50) },
});

// One engine with one lane; an HttpClient whose requests travel in it.
var services = new ServiceCollection();
services.AddPacer(pacer => pacer.AddLane("openai", lane =>
{
    lane.MaxConcurrency = 4;
    lane.Rates.Add(RateLimit.PerSecond(4));
}));
services.AddHttpClient("openai", client => client.BaseAddress = provider.BaseAddress)
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false }) // the provider is local
    .AddPacerHandler("openai", http => http.Retry = new RetryPolicy { MaxAttempts = 5 });

await using ServiceProvider container = services.BuildServiceProvider();
HttpClient openai = container.GetRequiredService<IHttpClientFactory>().CreateClient("openai");

// Twenty calls at once: the lane starts them four a second; a refusal would be retried after its Retry-After.
int[] statuses = await Task.WhenAll(Enumerable.Range(1, 20).Select(async i =>
{
    using HttpResponseMessage response = await openai.PostAsJsonAsync("v1/chat/completions", new
    {
        model = "gpt-4o-mini",
        messages = new[] { new { role = "user", content = $"Question {i}" } },
        max_tokens = 16,
    });
    return (int)response.StatusCode;
}));

RouteStats seen = provider.GetStats().Total;
Console.WriteLine($"Answers: {string.Join(", ", statuses.CountBy(s => s).Select(g => $"{g.Value} × {g.Key}"))}");
Console.WriteLine($"The provider saw {seen.Requests} requests ({seen.CountOf(429)} refused), at most {seen.MaxStartsPerSecond} in any second.");
