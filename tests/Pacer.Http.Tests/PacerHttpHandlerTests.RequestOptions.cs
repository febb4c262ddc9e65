using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Json;

namespace Pacer.Http.Tests;

/// <summary>A request's own <see cref="PacerRequestOptions"/>: they win over the handler's, so one handler serves every kind of request.</summary>
public sealed partial class PacerHttpHandlerTests
{
    [Fact]
    public void PacerOptions_AreCarriedInTheRequestsOptions()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, s_uri);
        var options = new PacerRequestOptions { Lane = "a", Priority = 3 };

        Assert.Null(request.GetPacerOptions());
        request.SetPacerOptions(options);

        Assert.Same(options, request.GetPacerOptions());
    }

    [Fact]
    public async Task ARequestsLane_WinsOverTheHandlersLaneAndSelector()
    {
        _engine.AddLane("chat", new LaneOptions());
        _engine.AddLane("batch", new LaneOptions());
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub, new PacerHttpOptions { LaneSelector = _ => "chat" });

        (await client.SendAsync(Request(new PacerRequestOptions { Lane = "batch" })).DefaultTimeout()).Dispose();
        (await client.SendAsync(Request(new PacerRequestOptions { Priority = 1 })).DefaultTimeout()).Dispose();
        await _finished.Reached(2).DefaultTimeout();

        Assert.Equal((1L, 1L), (_engine.GetLaneSnapshot("batch").Succeeded, _engine.GetLaneSnapshot("chat").Succeeded));
    }

    [Fact]
    public async Task ARequestsPriority_WinsOverTheHandlers()
    {
        _engine.AddLane("one", new LaneOptions { MaxConcurrency = 1 });
        var body = new Pipe();
        var order = new List<string>();
        var stub = new StubHandler((request, attempt) =>
        {
            lock (order)
            {
                order.Add(request.RequestUri!.Query);
            }

            return attempt == 1
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body.Reader.AsStream()) }
                : Responses.Make(HttpStatusCode.OK);
        });
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "one", Priority = 5 });

        // The first answer streams, holding the lane's one slot while the others queue.
        using HttpResponseMessage holding = await client.GetAsync(new Uri(s_uri, "?hold"), HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Task<HttpResponseMessage> low = client.SendAsync(Request(new PacerRequestOptions { Priority = -10 }, "?low"));
        Task<HttpResponseMessage> handlers = client.GetAsync(new Uri(s_uri, "?handlers"));
        Task<HttpResponseMessage> high = client.SendAsync(Request(new PacerRequestOptions { Priority = 10 }, "?high"));
        holding.Dispose();
        foreach (Task<HttpResponseMessage> sending in new[] { low, handlers, high })
        {
            (await sending.DefaultTimeout()).Dispose();
        }

        Assert.Equal(["?hold", "?high", "?handlers", "?low"], order);
    }

    [Fact]
    public async Task ARequestsCost_WinsOverTheEstimator()
    {
        _engine.AddLane("tokens", new LaneOptions { CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "tokens", CostEstimator = _ => 80 });

        // 10 + 80 fit the burst of 100: both go with no time passing. Two estimates of 80 would not.
        (await client.SendAsync(Request(new PacerRequestOptions { Cost = 10 })).DefaultTimeout()).Dispose();
        (await client.GetAsync(s_uri).DefaultTimeout()).Dispose();

        Assert.Equal(2, stub.Attempts);
        Task<HttpResponseMessage> third = client.SendAsync(Request(new PacerRequestOptions { Cost = 50 }));
        Assert.Equal(2, stub.Attempts);
        await _time.AdvanceUntilAsync(() => stub.Attempts == 3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        (await third.DefaultTimeout()).Dispose();
    }

    [Fact]
    public async Task ARequestsAttemptTimeout_WinsOverTheHandlers()
    {
        var hanging = new HangingHandler();
        var options = new PacerHttpOptions { AttemptTimeout = TimeSpan.FromMinutes(10), Retry = FixedRetry(1) };
        using HttpClient client = new(new PacerHttpHandler(_engine, options, hanging));

        Task<HttpResponseMessage> sending = client.SendAsync(Request(new PacerRequestOptions { AttemptTimeout = TimeSpan.FromSeconds(2) }));
        await hanging.Attempts.Reached(1).DefaultTimeout();
        _time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => sending).DefaultTimeout();
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task InvalidRequestOptions_AreRefusedByTheEnginesJobOptionsRules_AndNothingIsSent()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => client.SendAsync(Request(new PacerRequestOptions { Priority = 2_000_000, Cost = -1, AttemptTimeout = TimeSpan.Zero, Lane = "" }))).DefaultTimeout();

        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "JobOptions: Priority must be between -1000000 and 1000000, got 2000000.",
                "JobOptions: Cost must be at least 0, got -1.",
                "JobOptions: Timeout must be positive, got 00:00:00.",
                "JobOptions: Lane must not be empty; leave it null for the default lane."),
            error.Message);
        Assert.Equal(0, stub.Attempts);
    }

    [Fact]
    public async Task AnIdempotencyKeyInFlight_RefusesAnotherRequestWithIt_UntilItsJobEnds()
    {
        var body = new Pipe();
        var stub = new StubHandler((_, attempt) => attempt == 1
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body.Reader.AsStream()) }
            : Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub);
        var keyed = new PacerRequestOptions { IdempotencyKey = "line-17" };

        HttpResponseMessage first = await client.SendAsync(Request(keyed), HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync(Request(keyed))).DefaultTimeout();
        Assert.Equal("Idempotency key 'line-17' belongs to a request still in flight; this request was not sent.", error.Message);
        Assert.Equal(1, stub.Attempts);

        // The key is freed as the first job ends, just after its body is disposed.
        first.Dispose();
        HttpResponseMessage? third = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    third = await client.SendAsync(Request(keyed)).DefaultTimeout();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            },
            "the key to be free");

        Assert.Equal(HttpStatusCode.OK, third!.StatusCode);
        Assert.Equal(2, stub.Attempts);
        third.Dispose();
    }

    [Fact]
    public async Task AKeyOfARequestRefusedBeforeItsJob_IsFreeAgain()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub);

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(Request(new PacerRequestOptions { IdempotencyKey = "k", Lane = "missing" }))).DefaultTimeout();
        using HttpResponseMessage response = await client.SendAsync(Request(new PacerRequestOptions { IdempotencyKey = "k" })).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheDocsExample_TravelsWithItsOwnOptions()
    {
        _engine.AddLane("openai", new LaneOptions());
        _engine.AddLane("openai/gpt-4o", new LaneOptions { CostRates = { RateLimit.PerMinute(30_000) } });
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient openai = new(new PacerHttpHandler(_engine, new PacerHttpOptions { Lane = "openai" }, stub)) { BaseAddress = new Uri("https://api.openai.com/") };

        // As in docs/http.md, "Per-request options".
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "gpt-4o", messages = new[] { new { role = "user", content = "Hello" } } }),
        };
        request.SetPacerOptions(new PacerRequestOptions
        {
            Lane = "openai/gpt-4o",
            Priority = 10,
            Cost = 1_200,                              // the tokens this request is estimated to spend
            AttemptTimeout = TimeSpan.FromSeconds(60),
            IdempotencyKey = "line-17",
        });
        using HttpResponseMessage response = await openai.SendAsync(request);

        await _finished.Reached(1).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _engine.GetLaneSnapshot("openai/gpt-4o").Succeeded);
        Assert.Equal(1_200, _engine.GetLaneSnapshot("openai/gpt-4o").CostSpent);
    }

    private static HttpRequestMessage Request(PacerRequestOptions options, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(s_uri, query));
        request.SetPacerOptions(options);
        return request;
    }
}
