using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Pacer.Http.Tests.Redirects;

/// <summary>
/// Redirects are followed by the handler itself, within the origin only, so that a request's
/// headers (API keys among them) never reach another origin. Against real sockets.
/// </summary>
public sealed class RedirectTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly PacerEngine _engine;
    private readonly Occurrences _retries = new();

    /// <summary>Another origin: it answers anything, and keeps every byte it gets.</summary>
    private readonly RawHttpServer _elsewhere = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "elsewhere"));

    public RedirectTests()
    {
        _engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        _engine.JobRetrying += (_, _) => _retries.Add();
    }

    public async ValueTask DisposeAsync()
    {
        await _elsewhere.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task ARedirectToAnotherOrigin_IsNotFollowed_AndNothingReachesIt(int status)
    {
        await using var lane = RawHttpServer.Answering((_, connection) =>
            connection.RespondAsync(status, "", $"Location: {_elsewhere.BaseUri}sink?sig=secret"));
        using HttpClient client = Client(new SocketsHttpHandler { UseProxy = false });

        Exception? thrown = await Record.ExceptionAsync(() => client.SendAsync(KeyedGet(lane.BaseUri))).DefaultTimeout();

        Assert.DoesNotContain("sk-1", _elsewhere.ReceivedText, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _elsewhere.ReceivedText);
        Assert.Equal(0, _elsewhere.ConnectionCount);
        HttpRequestException error = Assert.IsType<HttpRequestException>(thrown);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Contains($"answered {status} ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{_elsewhere.BaseUri}sink", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Failed);
    }

    [Fact]
    public async Task ARedirectToAnotherOrigin_IsNotFollowed_ThroughTheFactorysDefaultPrimaryHandler()
    {
        await using var lane = RawHttpServer.Answering((_, connection) =>
            connection.RespondAsync(302, "", $"Location: {_elsewhere.BaseUri}sink"));
        var services = new ServiceCollection();
        services.AddSingleton<PacerEngine>(_engine);
        services.AddHttpClient("lane").AddPacerHandler(PacerEngine.DefaultLaneName);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("lane");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(KeyedGet(lane.BaseUri))).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Found, error.StatusCode);
        Assert.Equal(string.Empty, _elsewhere.ReceivedText);
    }

    [Fact]
    public async Task ASameOriginRedirect_IsFollowed_WithinTheAttempt_KeepingTheHeaders()
    {
        await using var lane = RawHttpServer.Answering((request, connection) => request.Target == "/old"
            ? connection.RespondAsync(301, "", "Location: /new")
            : connection.RespondAsync(200, "moved"));
        using HttpClient client = Client(new SocketsHttpHandler { UseProxy = false });

        using HttpResponseMessage response = await client.SendAsync(KeyedGet(new Uri(lane.BaseUri, "old"))).DefaultTimeout();

        Assert.Equal("moved", await response.Content.ReadAsStringAsync());
        Assert.Equal(["/old", "/new"], lane.Requests.Select(r => r.Target));
        Assert.All(lane.Requests, r => Assert.Equal("sk-1", r.Header("x-api-key")));
        Assert.Equal(new Uri(lane.BaseUri, "new"), response.RequestMessage?.RequestUri);
        Assert.Equal(1, _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName).Succeeded);
    }

    [Theory]
    [InlineData(301, "POST", "GET", "")]
    [InlineData(302, "POST", "GET", "")]
    [InlineData(303, "POST", "GET", "")]
    [InlineData(303, "PUT", "GET", "")]
    [InlineData(301, "PUT", "PUT", "{\"a\":1}")]
    [InlineData(307, "POST", "POST", "{\"a\":1}")]
    [InlineData(308, "POST", "POST", "{\"a\":1}")]
    public async Task ASameOriginRedirect_KeepsOrChangesTheMethod_AsRfc9110Says(int status, string method, string followedWith, string body)
    {
        await using var lane = RawHttpServer.Answering((request, connection) => request.Target == "/old"
            ? connection.RespondAsync(status, "", "Location: /new")
            : connection.RespondAsync(200, "ok"));
        using HttpClient client = Client(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(lane.BaseUri, "old")) { Content = new StringContent("{\"a\":1}") };

        using HttpResponseMessage response = await client.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RawRequest followed = lane.Requests[1];
        Assert.Equal((followedWith, body), (followed.Method, Encoding.UTF8.GetString(followed.Body)));
    }

    [Fact]
    public async Task ARedirectLoop_EndsWithAnError_AfterFiveRedirects()
    {
        await using var lane = RawHttpServer.Answering((_, connection) => connection.RespondAsync(302, "", "Location: /again"));
        using HttpClient client = Client(new SocketsHttpHandler { UseProxy = false });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(lane.BaseUri)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Found, error.StatusCode);
        Assert.Equal(6, lane.Requests.Count);
        Assert.Equal(
            $"The service redirected more than 5 times; the last redirect, 302 (Found), pointed to {lane.BaseUri}again. The request was not sent there.",
            error.Message);
    }

    [Fact]
    public async Task WithMaxRedirectsZero_ARedirectIsTheAnswer()
    {
        await using var lane = RawHttpServer.Answering((_, connection) => connection.RespondAsync(302, "", $"Location: {_elsewhere.BaseUri}sink"));
        using HttpClient client = Client(new SocketsHttpHandler { UseProxy = false }, new PacerHttpOptions { MaxRedirects = 0 });

        using HttpResponseMessage response = await client.GetAsync(lane.BaseUri).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(new Uri($"{_elsewhere.BaseUri}sink"), response.Headers.Location);
        Assert.Equal(string.Empty, _elsewhere.ReceivedText);
    }

    [Fact]
    public async Task ARetryAfterARedirect_StartsAgainFromTheRequestsOwnAddress()
    {
        int answered = 0;
        await using var lane = RawHttpServer.Answering((request, connection) => request.Target == "/old"
            ? connection.RespondAsync(302, "", "Location: /new")
            : Interlocked.Increment(ref answered) == 1
                ? connection.RespondAsync(503, "", "retry-after-ms: 10")
                : connection.RespondAsync(200, "ok"));
        using HttpClient client = Client(new SocketsHttpHandler { UseProxy = false });

        Task<HttpResponseMessage> sending = client.PostAsync(new Uri(lane.BaseUri, "old"), new StringContent("body"));
        await _retries.Reached(1).DefaultTimeout();
        _time.Advance(TimeSpan.FromMilliseconds(10));
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["POST /old", "GET /new", "POST /old", "GET /new"], lane.Requests.Select(r => $"{r.Method} {r.Target}"));
    }

    [Fact]
    public void APrimaryHandlerThatFollowsRedirects_IsTurnedOff_BeforeItsFirstRequest()
    {
        var sockets = new SocketsHttpHandler();
        using var clientHandler = new HttpClientHandler();

        using var first = new PacerHttpHandler(_engine, null, sockets);
        using var second = new PacerHttpHandler(_engine, null, new PassThroughHandler(clientHandler));

        Assert.False(sockets.AllowAutoRedirect);
        Assert.False(clientHandler.AllowAutoRedirect);
    }

    [Fact]
    public async Task APrimaryHandlerThatFollowsRedirects_AndHasSentAlready_FailsFast_SayingWhatToDo()
    {
        await using var lane = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "ok"));
        using var shared = new SocketsHttpHandler { UseProxy = false };
        using (var plain = new HttpClient(shared, disposeHandler: false))
        {
            (await plain.GetAsync(lane.BaseUri).DefaultTimeout()).Dispose();
        }

        var error = Assert.Throws<InvalidOperationException>(() => new PacerHttpHandler(_engine, null, shared));

        Assert.Equal(
            "PacerHttpHandler follows redirects itself, within the request's origin only, so its primary handler must not: SocketsHttpHandler has sent requests already and can no longer be changed. Set its AllowAutoRedirect to false before it is first used.",
            error.Message);
    }

    private HttpClient Client(HttpMessageHandler primary, PacerHttpOptions? options = null) => new(new PacerHttpHandler(_engine, options, primary));

    private static HttpRequestMessage KeyedGet(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Add("x-api-key", "sk-1");
        return request;
    }

    /// <summary>A handler between the Pacer handler and the primary one, as factories and logging add.</summary>
    private sealed class PassThroughHandler(HttpMessageHandler inner) : DelegatingHandler(inner);
}
