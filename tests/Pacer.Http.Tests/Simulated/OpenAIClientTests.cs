using Microsoft.Extensions.Time.Testing;
using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using Pacer.Simulator;

namespace Pacer.Http.Tests.Simulated;

/// <summary>The official OpenAI client, sending through the handler to the simulator's OpenAI-shaped route.</summary>
public class OpenAIClientTests
{
    [Fact]
    public async Task ChatClient_ThroughTheHandler_GetsEveryCompletion_DespiteTheHiddenLimit()
    {
        // The service's clock stands still until all six first attempts have arrived, so that however
        // slowly a loaded machine delivers them, three fit its limit and three are refused.
        var serviceTime = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using var paced = await PacedSimulator.StartAsync(
            new SimulatorOptions { Limits = { Default = { RequestsPerSecond = 3 } } },
            new LaneOptions { MaxConcurrency = 6 },
            new PacerHttpOptions { Retry = new RetryPolicy { MaxAttempts = 5 } },
            serviceTime);
        var chat = new ChatClient("gpt-sim", new ApiKeyCredential("key-openai"), new OpenAIClientOptions
        {
            Endpoint = new Uri(paced.Host.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(paced.Client),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // Pacer retries; the client must not retry as well
        });
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 5 };

        Task<ClientResult<ChatCompletion>[]> all = Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            chat.CompleteChatAsync([new UserChatMessage($"Question {i}")], options)));
        await Eventually.HoldsAsync(() => paced.Host.GetStats().ByRoute[SimulatorRoute.Chat].ByStatus.Values.Sum() >= 6, "six first attempts");
        serviceTime.Advance(TimeSpan.FromSeconds(2));
        ClientResult<ChatCompletion>[] results = await all.DefaultTimeout();

        Assert.All(results, result =>
        {
            Assert.Equal(200, result.GetRawResponse().Status);
            Assert.Equal("gpt-sim", result.Value.Model);
            Assert.Equal(ChatFinishReason.Length, result.Value.FinishReason);
            Assert.Equal(20, result.Value.Content[0].Text.Length);
            Assert.Equal(5, result.Value.Usage.OutputTokenCount);
        });
        RouteStats stats = paced.Host.GetStats().ByRoute[SimulatorRoute.Chat];
        Assert.Equal(6, stats.CountOf(200));
        Assert.Equal(3, stats.CountOf(429));
        Assert.Equal(stats.CountOf(429), paced.Engine.GetLaneSnapshot(PacedSimulator.Lane).Retries);
    }
}
