using System.IO.Pipelines;
using System.Net;
using System.Text;

namespace Pacer.Http.Tests;

/// <summary>Response bodies: when a request's lane slot is let go, and under which timeout the body is read.</summary>
public sealed partial class PacerHttpHandlerTests
{
    [Theory]
    [InlineData(false)] // read to its end
    [InlineData(true)]  // disposed unread
    public async Task AStreamedBody_KeepsTheLanesSlot_UntilItIsReadOrDisposed(bool dispose)
    {
        _engine.AddLane("one", new LaneOptions { MaxConcurrency = 1 });
        var body = new Pipe();
        var stub = new StubHandler((_, attempt) => attempt == 1
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body.Reader.AsStream()) }
            : Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "one" });

        using HttpResponseMessage first = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Task<HttpResponseMessage> second = client.GetAsync(s_uri);
        await body.Writer.WriteAsync("{\"part\":1}"u8.ToArray());
        Stream stream = await first.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[64]) > 0);

        // The first answer is still streaming: the second request waits for the lane's one slot.
        Assert.Equal(1, stub.Attempts);
        Assert.False(second.IsCompleted);
        if (dispose)
        {
            first.Dispose();
        }
        else
        {
            await body.Writer.CompleteAsync();
            Assert.Equal(0, await stream.ReadAsync(new byte[64]));
        }

        using HttpResponseMessage answer = await second.DefaultTimeout();
        Assert.Equal(2, stub.Attempts);
        await _finished.Reached(2).DefaultTimeout();
        Assert.Equal(2, _engine.GetLaneSnapshot("one").Succeeded);
    }

    [Fact]
    public async Task AStreamedBody_StillComingAtTheAttemptTimeout_FailsTheCallersRead_WithoutARetry()
    {
        var body = new Pipe();
        var stub = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body.Reader.AsStream()) });
        using HttpClient client = Client(stub, new PacerHttpOptions { AttemptTimeout = TimeSpan.FromSeconds(5), Retry = FixedRetry(3) });

        using HttpResponseMessage response = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Stream stream = await response.Content.ReadAsStreamAsync();
        await body.Writer.WriteAsync("part"u8.ToArray());
        Assert.Equal(4, await stream.ReadAsync(new byte[64]).DefaultTimeout());
        Task<int> waiting = stream.ReadAsync(new byte[64]).AsTask();
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => waiting).DefaultTimeout();
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal("The response body did not arrive within the attempt timeout of 00:00:05.", error.Message);
        await _finished.Reached(1).DefaultTimeout();
        Assert.Equal(1, stub.Attempts);
    }

    [Fact]
    public async Task AStreamedBody_ReadWithinTheAttemptTimeout_IsUntouchedWhenItPasses()
    {
        var body = new Pipe();
        var stub = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body.Reader.AsStream()) });
        using HttpClient client = Client(stub, new PacerHttpOptions { AttemptTimeout = TimeSpan.FromSeconds(5) });

        using HttpResponseMessage response = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        _time.Advance(TimeSpan.FromSeconds(4));
        await body.Writer.WriteAsync("done"u8.ToArray());
        await body.Writer.CompleteAsync();
        Assert.Equal("done", await response.Content.ReadAsStringAsync().DefaultTimeout());
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("done", await response.Content.ReadAsStringAsync().DefaultTimeout());
        await _finished.Reached(1).DefaultTimeout();
        Assert.Equal(1, _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Succeeded);
    }

    [Fact]
    public async Task AStreamedBody_WithoutAnAttemptTimeout_IsUntimed()
    {
        var body = new Pipe();
        var stub = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body.Reader.AsStream()) });
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        _time.Advance(TimeSpan.FromDays(1));
        await body.Writer.WriteAsync("late"u8.ToArray());
        await body.Writer.CompleteAsync();

        Assert.Equal("late", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Fact]
    public async Task ASmallBodyThatStalls_TimesOutWithinTheAttempt_AndIsRetried()
    {
        var stalled = new Pipe();
        var stub = new StubHandler((_, attempt) =>
        {
            if (attempt > 1)
            {
                return Responses.Make(HttpStatusCode.OK);
            }

            var content = new StreamContent(stalled.Reader.AsStream());
            content.Headers.ContentLength = 100; // promised, never sent
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        using HttpClient client = Client(stub, new PacerHttpOptions { AttemptTimeout = TimeSpan.FromSeconds(5), Retry = FixedRetry(2) });

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await stub.AttemptsReached(1).DefaultTimeout();
        _time.Advance(TimeSpan.FromSeconds(5));
        await AdvanceThroughRetriesAsync(1, TimeSpan.FromSeconds(1));
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(2, stub.Attempts);
        Assert.Equal("{\"status\":200}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AStreamedBody_KeepsTheServicesContentHeaders()
    {
        var stub = new StubHandler((_, _) =>
        {
            var content = new StreamContent(new MemoryStream("{\"n\":1}"u8.ToArray()));
            content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
            content.Headers.ContentLength = null; // unknown length, as a chunked answer: streamed to the caller
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();

        Assert.Equal(("application/json", "utf-8"), (response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.CharSet));
        Assert.Equal("{\"n\":1}", await response.Content.ReadAsStringAsync());
        await _finished.Reached(1).DefaultTimeout();
    }

    [Fact]
    public async Task ASmallBodyOfKnownLength_IsReadWithinTheJob_WhoseSlotIsFreeWhenTheCallerHasIt()
    {
        _engine.AddLane("one", new LaneOptions { MaxConcurrency = 1 });
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "one" });

        using HttpResponseMessage response = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();

        Assert.Equal((0, 1L), (_engine.GetLaneSnapshot("one").Running, _engine.GetLaneSnapshot("one").Succeeded));
        Assert.Equal("{\"status\":200}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true, 2)]   // corrected to 10: 10 + 80 fit the burst of 100, the second goes at once
    [InlineData(false, 1)]  // the estimate of 80 stands: the second waits for the rate
    public async Task CostFromResponse_CorrectsTheEstimate(bool read, int attemptsAtOnce)
    {
        _engine.AddLane("tokens", new LaneOptions { CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        var stub = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"object":"chat.completion","usage":{"prompt_tokens":4,"completion_tokens":6,"total_tokens":10}}"""),
        });
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "tokens", CostEstimator = _ => 80, CostFromResponse = read ? TokenUsage.Read : null });

        (await client.GetAsync(s_uri).DefaultTimeout()).Dispose();
        Task<HttpResponseMessage> second = client.GetAsync(s_uri);

        Assert.Equal(attemptsAtOnce, stub.Attempts);
        await _time.AdvanceUntilAsync(() => stub.Attempts == 2, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        (await second.DefaultTimeout()).Dispose();
    }

    [Theory]
    [InlineData("string", true)]    // ReadAsStringAsync: the content copies itself out
    [InlineData("stream", true)]    // ReadAsStreamAsync, read to its end
    [InlineData("unread", false)]   // disposed unread: the estimate stands
    [InlineData("too long", false)] // over 64 KiB: not kept, the estimate stands
    public async Task CostFromResponse_ReadsABodyOfUnknownLength_OnceTheCallerHasReadIt(string how, bool corrected)
    {
        _engine.AddLane("tokens", new LaneOptions { CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        string padding = how == "too long" ? new string(' ', 70 * 1024) : "";
        byte[] answer = Encoding.UTF8.GetBytes("""{"usage":{"input_tokens":4,"output_tokens":6}}""" + padding);
        var stub = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new NonSeekableStream(answer)) });
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "tokens", CostEstimator = _ => 80, CostFromResponse = TokenUsage.Read });

        using (HttpResponseMessage first = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout())
        {
            if (how == "stream")
            {
                using Stream body = await first.Content.ReadAsStreamAsync();
                await body.CopyToAsync(Stream.Null);
            }
            else if (how != "unread")
            {
                Assert.Contains("usage", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        await _finished.Reached(1).DefaultTimeout();
        Task<HttpResponseMessage> second = client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead);
        if (corrected)
        {
            // 10 + 80 fit the burst of 100: no time needs to pass.
            await stub.AttemptsReached(2).DefaultTimeout();
        }
        else
        {
            Assert.Equal(1, stub.Attempts);
            await _time.AdvanceUntilAsync(() => stub.Attempts == 2, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        }

        (await second.DefaultTimeout()).Dispose();
    }

    [Fact]
    public async Task CostFromResponse_ReadsTheUsageAtTheEndOfALongEventStream()
    {
        _engine.AddLane("tokens", new LaneOptions { CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        var events = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            events.Append("data: {\"choices\":[{\"delta\":{\"content\":\"word ").Append(i).Append("\"}}],\"usage\":null}\n\n");
        }

        events.Append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6,\"total_tokens\":10}}\n\ndata: [DONE]\n\n");
        byte[] answer = Encoding.UTF8.GetBytes(events.ToString());
        Assert.True(answer.Length > 128 * 1024);
        var stub = new StubHandler((_, _) =>
        {
            var content = new StreamContent(new NonSeekableStream(answer));
            content.Headers.ContentType = new("text/event-stream");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "tokens", CostEstimator = _ => 80, CostFromResponse = TokenUsage.Read });

        using (HttpResponseMessage first = await client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout())
        {
            using var reader = new StreamReader(await first.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is not null)
            {
            }
        }

        // Corrected to 10: 10 + 80 fit the burst of 100, so the second goes with no time passing.
        Task<HttpResponseMessage> second = client.GetAsync(s_uri, HttpCompletionOption.ResponseHeadersRead);
        await stub.AttemptsReached(2).DefaultTimeout();
        (await second.DefaultTimeout()).Dispose();
    }
}
