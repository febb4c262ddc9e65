using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Pacer.Http.Tests;

/// <summary>The handler against a stub service, on fake time.</summary>
public sealed partial class PacerHttpHandlerTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2025, 10, 25, 11, 59, 30, TimeSpan.Zero);
    private static readonly Uri s_uri = new("http://service.test/v1/things");

    private readonly FakeTimeProvider _time = new(s_start);
    private readonly PacerEngine _engine;

    /// <summary>Jobs parked for a retry, their timers armed.</summary>
    private readonly Occurrences _retries = new();

    /// <summary>Jobs that ended: a response's job ends once its body is read, just after the caller has it.</summary>
    private readonly Occurrences _finished = new();
    private int _retriesAdvanced;

    public PacerHttpHandlerTests()
    {
        _engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        _engine.JobRetrying += (_, _) => _retries.Add();
        _engine.JobFinished += (_, _) => _finished.Add();
    }

    // xunit 2 disposes test classes synchronously; the engine's disposal completes at once.
    public void Dispose() => _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Fact]
    public async Task NonRetryableStatus_IsReturnedAtOnce()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.NotFound));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();
        await _finished.Reached(1).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, stub.Attempts);
        Assert.Equal(1, _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Succeeded);
    }

    [Fact]
    public async Task RetryableStatus_IsRetriedExactlyAfterRetryAfter_AndTheRefusalIsDisposed()
    {
        var stub = new StubHandler((_, attempt) => attempt == 1
            ? Responses.Make(HttpStatusCode.TooManyRequests, "retry-after: 2")
            : Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub);

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await _retries.Reached(1).DefaultTimeout();
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(1, stub.Attempts);
        Assert.False(sending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await stub.AttemptsReached(2).DefaultTimeout();
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Same(stub.Sent[1], response);
        Assert.True(DisposalProbe.IsDisposed(stub.Sent[0]));
        Assert.False(DisposalProbe.IsDisposed(response));
    }

    [Fact]
    public async Task AttemptsRunOut_TheLastResponseIsReturned_NotAnException()
    {
        var stub = new StubHandler((_, attempt) => Responses.Make(HttpStatusCode.ServiceUnavailable, $"x-attempt: {attempt}"));
        using HttpClient client = Client(stub, new PacerHttpOptions { Retry = FixedRetry(3) });

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await AdvanceThroughRetriesAsync(2, TimeSpan.FromSeconds(2));
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Same(stub.Sent[2], response);
        Assert.Equal("{\"status\":503}", await response.Content.ReadAsStringAsync());
        Assert.True(DisposalProbe.IsDisposed(stub.Sent[0]));
        Assert.True(DisposalProbe.IsDisposed(stub.Sent[1]));
        Assert.Equal(1, _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Failed);
    }

    [Fact]
    public async Task RetryAfterLongerThanThePolicyAllows_ReturnsTheRefusalAtOnce()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.TooManyRequests, "retry-after: 7200"));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, stub.Attempts);
    }

    [Fact]
    public async Task ShouldRetryFalse_Returns429AtOnce()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.TooManyRequests, "x-should-retry: false", "retry-after: 1"));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, stub.Attempts);
    }

    [Fact]
    public async Task ShouldRetryTrue_RetriesAStatusThatIsNotRetryable()
    {
        var stub = new StubHandler((_, attempt) => attempt == 1
            ? Responses.Make(HttpStatusCode.Conflict, "x-should-retry: TRUE", "retry-after-ms: 10")
            : Responses.Make(HttpStatusCode.Created));
        using HttpClient client = Client(stub);

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await AdvanceThroughRetriesAsync(1, TimeSpan.FromMilliseconds(10));
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ShouldRetry_OnASuccess_IsIgnored()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK, "x-should-retry: true"));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();

        Assert.Equal(1, stub.Attempts);
    }

    [Fact]
    public async Task GitHubRateLimit403_IsRetriedAtTheReset()
    {
        long reset = s_start.AddSeconds(3).ToUnixTimeSeconds();
        var stub = new StubHandler((_, attempt) => attempt == 1
            ? Responses.Make(HttpStatusCode.Forbidden, "x-ratelimit-limit: 60", "x-ratelimit-remaining: 0", $"x-ratelimit-reset: {reset}")
            : Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub);

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await _retries.Reached(1).DefaultTimeout();
        _time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.Equal(1, stub.Attempts);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await stub.AttemptsReached(2).DefaultTimeout();
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Plain403_IsReturnedAtOnce()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.Forbidden, "x-ratelimit-remaining: 10"));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();

        Assert.Equal((HttpStatusCode.Forbidden, 1), (response.StatusCode, stub.Attempts));
    }

    [Fact]
    public async Task CustomRetryableStatuses_ReplaceTheDefaults()
    {
        var stub = new StubHandler((_, attempt) => attempt == 1 ? Responses.Make(HttpStatusCode.Conflict) : Responses.Make(HttpStatusCode.InternalServerError));
        var options = new PacerHttpOptions { Retry = FixedRetry(3), RetryableStatusCodes = new HashSet<HttpStatusCode> { HttpStatusCode.Conflict } };
        using HttpClient client = Client(stub, options);

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await AdvanceThroughRetriesAsync(1, TimeSpan.FromSeconds(1));
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(2, stub.Attempts);
    }

    [Fact]
    public async Task Hints_ReachTheLane()
    {
        var stub = new StubHandler((_, _) => Responses.Make("x-ratelimit-remaining-requests: 0", "x-ratelimit-reset-requests: 5s"));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();

        Assert.Equal(s_start.AddSeconds(5), _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).PausedUntil);
    }

    [Fact]
    public async Task NonSeekableContent_IsSentWholeOnEveryAttempt()
    {
        var stub = new StubHandler((_, attempt) => attempt == 1
            ? Responses.Make(HttpStatusCode.BadGateway, "retry-after-ms: 10")
            : Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub);
        using var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes("{\"prompt\":\"hello\"}")));

        Task<HttpResponseMessage> sending = client.PostAsync(s_uri, content);
        await AdvanceThroughRetriesAsync(1, TimeSpan.FromMilliseconds(10));
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["{\"prompt\":\"hello\"}", "{\"prompt\":\"hello\"}"], stub.Bodies);
    }

    [Fact]
    public async Task LaneSelector_ChoosesEachRequestsLane()
    {
        _engine.AddLane("chat", new LaneOptions());
        _engine.AddLane("listing", new LaneOptions());
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub, new PacerHttpOptions
        {
            LaneSelector = request => request.RequestUri!.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal) ? "chat" : "listing",
        });

        (await client.GetAsync(s_uri).DefaultTimeout()).Dispose();
        (await client.GetAsync(new Uri("http://service.test/api/projects")).DefaultTimeout()).Dispose();
        (await client.GetAsync(new Uri("http://service.test/api/projects?offset=1")).DefaultTimeout()).Dispose();
        await _finished.Reached(3).DefaultTimeout();

        Assert.Equal(1, _engine.GetLaneSnapshot("chat").Succeeded);
        Assert.Equal(2, _engine.GetLaneSnapshot("listing").Succeeded);
    }

    [Fact]
    public async Task UnknownLane_Throws()
    {
        using HttpClient client = Client(new StubHandler((_, _) => Responses.Make()), new PacerHttpOptions { Lane = "missing" });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(s_uri)).DefaultTimeout();

        Assert.Contains("Lane 'missing' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostEstimator_SpendsTheLanesCostRate()
    {
        _engine.AddLane("tokens", new LaneOptions { CostRates = { RateLimit.PerMinute(100, burst: 100) } });
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.OK));
        using HttpClient client = Client(stub, new PacerHttpOptions { Lane = "tokens", CostEstimator = _ => 80 });

        (await client.GetAsync(s_uri).DefaultTimeout()).Dispose();
        Task<HttpResponseMessage> second = client.GetAsync(s_uri);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, stub.Attempts);
        await _time.AdvanceUntilAsync(() => stub.Attempts == 2, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        (await second.DefaultTimeout()).Dispose();
    }

    [Fact]
    public async Task LastAttemptTimingOut_ThrowsTaskCanceledWithTimeoutInside()
    {
        var hanging = new HangingHandler();
        using HttpClient client = new(new PacerHttpHandler(_engine, new PacerHttpOptions { AttemptTimeout = TimeSpan.FromSeconds(1), Retry = FixedRetry(2) }, hanging));

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await hanging.Attempts.Reached(1).DefaultTimeout();
        _time.Advance(TimeSpan.FromSeconds(1));
        await AdvanceThroughRetriesAsync(1, TimeSpan.FromSeconds(1));
        await hanging.Attempts.Reached(2).DefaultTimeout();
        _time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => sending).DefaultTimeout();
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(2, hanging.Attempts.Count);
    }

    [Fact]
    public async Task FailureWithoutResponse_OnTheLastAttempt_IsThrown()
    {
        var stub = new StubHandler((_, _) => throw new HttpRequestException("Connection refused (service.test:80)"));
        using HttpClient client = Client(stub, new PacerHttpOptions { Retry = FixedRetry(2) });

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri);
        await AdvanceThroughRetriesAsync(1, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sending).DefaultTimeout();
        Assert.Equal("Connection refused (service.test:80)", error.Message);
        Assert.Equal(2, stub.Attempts);
    }

    [Fact]
    public async Task Cancelling_ARequestWaitingToRetry_EndsItAndDisposesTheRefusal()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.TooManyRequests, "retry-after: 60"));
        using HttpClient client = Client(stub);
        using var cancel = new CancellationTokenSource();

        Task<HttpResponseMessage> sending = client.GetAsync(s_uri, cancel.Token);
        await _retries.Reached(1).DefaultTimeout();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending).DefaultTimeout();
        Assert.True(DisposalProbe.IsDisposed(stub.Sent[0]));
        Assert.Equal(1, _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Cancelled);
    }

    [Fact]
    public void SynchronousSend_IsNotSupported()
    {
        using HttpClient client = Client(new StubHandler((_, _) => Responses.Make()));
        using var request = new HttpRequestMessage(HttpMethod.Get, s_uri);

        Assert.Throws<NotSupportedException>(() => client.Send(request));
    }

    [Fact]
    public void InvalidOptions_AreReportedTogether_NamingEachField()
    {
        var options = new PacerHttpOptions
        {
            Lane = "openai",
            LaneSelector = _ => "openai",
            Priority = 2_000_000,
            AttemptTimeout = TimeSpan.Zero,
            MaxRedirects = 51,
            RetryableStatusCodes = new HashSet<HttpStatusCode> { (HttpStatusCode)42, HttpStatusCode.TooManyRequests },
        };

        var error = Assert.Throws<ArgumentException>(() => new PacerHttpHandler(_engine, options));

        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "PacerHttpOptions: Set Lane or LaneSelector, not both; got Lane 'openai' and a LaneSelector.",
                "PacerHttpOptions: Priority must be between -1000000 and 1000000, got 2000000.",
                "PacerHttpOptions: AttemptTimeout must be positive, got 00:00:00.",
                "PacerHttpOptions: MaxRedirects must be between 0 and 50, got 51.",
                "PacerHttpOptions: RetryableStatusCodes must hold HTTP statuses from 100 to 999, got 42."),
            error.Message);
    }

    [Fact]
    public void EmptyLane_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PacerHttpHandler(_engine, new PacerHttpOptions { Lane = "" }));

        Assert.Equal("PacerHttpOptions: Lane must not be empty; leave it null for the default lane.", error.Message);
    }

    private static RetryPolicy FixedRetry(int attempts) => new() { MaxAttempts = attempts, BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

    private HttpClient Client(StubHandler stub, PacerHttpOptions? options = null) => new(new PacerHttpHandler(_engine, options, stub));

    /// <summary>
    /// For each retry up to the <paramref name="last"/>-th of the test: waits until the engine has
    /// parked the job (its timer armed), then advances fake time by <paramref name="wait"/>.
    /// </summary>
    private async Task AdvanceThroughRetriesAsync(int last, TimeSpan wait)
    {
        for (int i = _retriesAdvanced + 1; i <= last; i++)
        {
            await _retries.Reached(i).DefaultTimeout();
            _time.Advance(wait);
            _retriesAdvanced = i;
        }
    }

    /// <summary>A service that never answers: each attempt waits until it is cancelled.</summary>
    private sealed class HangingHandler : HttpMessageHandler
    {
        public Occurrences Attempts { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Attempts.Add();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException("Unreachable: the delay never ends.");
        }
    }
}
