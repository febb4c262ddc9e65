using System.Globalization;
using System.Net;

namespace Pacer.Simulator.Tests.Server;

public class ChatServerTests
{
    [Fact]
    public async Task APerSecondLimitAlone_IsStatedPerMinute_AsOpenAIAndAnthropicDefineTheirHeaders()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { RequestsPerSecond = 5 } } });

        using var chat = await sim.ChatAsync().DefaultTimeout();
        using var messages = await sim.MessagesAsync().DefaultTimeout();

        Assert.Equal(("300", "299"), (chat.Header("x-ratelimit-limit-requests"), chat.Header("x-ratelimit-remaining-requests")));
        Assert.True(GoDuration.TryParse(chat.Header("x-ratelimit-reset-requests"), out var reset));
        Assert.InRange(reset, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.Equal(("300", "299"), (messages.Header("anthropic-ratelimit-requests-limit"), messages.Header("anthropic-ratelimit-requests-remaining")));
    }

    [Fact]
    public async Task ChatCompletion_HasOpenAIShapeAndHeaders()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions
        {
            Limits = { Default = { RequestsPerMinute = 10, TokensPerMinute = 1000 } },
        });

        using var response = await sim.ChatAsync(maxTokens: 10, content: "12345678").DefaultTimeout();
        var body = await RunningSimulator.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("gpt-sim", body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("created").GetInt64() > 0);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(40, choice.GetProperty("message").GetProperty("content").GetString()!.Length);
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal((2, 10, 12), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));

        Assert.Equal("10", response.Header("x-ratelimit-limit-requests"));
        Assert.Equal("9", response.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("1000", response.Header("x-ratelimit-limit-tokens"));
        Assert.Equal("988", response.Header("x-ratelimit-remaining-tokens"));
        Assert.True(GoDuration.TryParse(response.Header("x-ratelimit-reset-requests"), out var reset));
        Assert.InRange(reset, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.True(GoDuration.TryParse(response.Header("x-ratelimit-reset-tokens"), out _));
    }

    [Fact]
    public async Task ChatCompletion_BeyondTheHiddenLimit_Is429WithRetryAfterAndHeaders()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 3 } } });

        for (int i = 0; i < 3; i++)
        {
            using var ok = await sim.ChatAsync().DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var rejected = await sim.ChatAsync().DefaultTimeout();
        var body = await RunningSimulator.ReadJsonAsync(rejected);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.InRange(rejected.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        long retryAfterMs = long.Parse(rejected.Header("retry-after-ms")!, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfterMs, 50_000, 60_000);
        Assert.Equal("3", rejected.Header("x-ratelimit-limit-requests"));
        Assert.Equal("0", rejected.Header("x-ratelimit-remaining-requests"));
        Assert.Equal("rate_limit_exceeded", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("requests", body.GetProperty("error").GetProperty("type").GetString());

        // Another key has its own counters.
        using var otherKey = await sim.ChatAsync(key: "key-2").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task ChatCompletion_TokensBeyondTheLimit_Are429AsTokens()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { TokensPerMinute = 100 } } });

        using var first = await sim.ChatAsync(maxTokens: 60).DefaultTimeout();
        using var second = await sim.ChatAsync(maxTokens: 60).DefaultTimeout();
        using var tooLarge = await sim.ChatAsync(maxTokens: 200).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("tokens", (await RunningSimulator.ReadJsonAsync(second)).GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task Messages_HasAnthropicShapeAndRfc3339Resets()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions
        {
            Limits = { Default = { RequestsPerMinute = 1, TokensPerMinute = 500 } },
        });

        using var response = await sim.MessagesAsync(maxTokens: 100, content: "abcd").DefaultTimeout();
        var body = await RunningSimulator.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", body.GetProperty("type").GetString());
        Assert.Equal("assistant", body.GetProperty("role").GetString());
        Assert.Equal("text", body.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal(80, body.GetProperty("content")[0].GetProperty("text").GetString()!.Length);
        Assert.Equal("end_turn", body.GetProperty("stop_reason").GetString());
        Assert.Equal((1, 20), (body.GetProperty("usage").GetProperty("input_tokens").GetInt32(), body.GetProperty("usage").GetProperty("output_tokens").GetInt32()));
        Assert.Equal("1", response.Header("anthropic-ratelimit-requests-limit"));
        Assert.Equal("0", response.Header("anthropic-ratelimit-requests-remaining"));
        Assert.Equal("399", response.Header("anthropic-ratelimit-tokens-remaining"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", response.Header("anthropic-ratelimit-requests-reset"));
        var reset = DateTimeOffset.Parse(response.Header("anthropic-ratelimit-tokens-reset")!, CultureInfo.InvariantCulture);
        Assert.InRange(reset - response.Headers.Date!.Value, TimeSpan.FromSeconds(58), TimeSpan.FromSeconds(62));

        using var rejected = await sim.MessagesAsync().DefaultTimeout();
        var error = await RunningSimulator.ReadJsonAsync(rejected);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.NotNull(rejected.Headers.RetryAfter?.Delta);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("0", rejected.Header("anthropic-ratelimit-requests-remaining"));
    }

    [Fact]
    public async Task MalformedRequest_Is400AndCountsNoLimit()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions { Limits = { Default = { RequestsPerMinute = 1 } } });

        using var malformed = await sim.Client.PostAsync("v1/chat/completions", RunningSimulator.Json("{not json")).DefaultTimeout();
        using var ok = await sim.ChatAsync(key: "anonymous").DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("invalid_request_error", (await RunningSimulator.ReadJsonAsync(malformed)).GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Concurrency_BeyondTheLimitIs429WhileTheFirstRequestIsInFlight()
    {
        await using var sim = await RunningSimulator.StartAsync(new SimulatorOptions
        {
            Limits = { Default = { MaxConcurrency = 1 } },
            Latency = { Base = TimeSpan.FromMinutes(5) },
        });
        using var cancelFirst = new CancellationTokenSource();
        var first = sim.ChatAsync(cancellationToken: cancelFirst.Token);
        await sim.Host.WaitForStatsAsync(s => s.Total.InFlight == 1).DefaultTimeout();

        using var second = await sim.ChatAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter!.Delta);

        await cancelFirst.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.DefaultTimeout());
        var stats = await sim.Host.WaitForStatsAsync(s => s.Total.Cancelled == 1).DefaultTimeout();
        Assert.Equal(2, stats.Total.MaxConcurrent); // the rejected request was in progress too, briefly
        Assert.Equal(0, stats.Total.InFlight);
    }
}
