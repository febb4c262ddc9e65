namespace Pacer.Http.Tests.Sending;

/// <summary>Header names and values that would split a request on the wire are refused before the request is queued.</summary>
public sealed class HeaderCheckTests : IAsyncDisposable
{
    /// <summary>A value that, sent raw, ends the request and smuggles a second one behind it.</summary>
    private const string Smuggling = "a\r\n\r\nPOST /_sim/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nX-I: ";

    private readonly PacerEngine _engine = new();
    private readonly RawHttpServer _server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "ok"));

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Theory]
    [InlineData("X-Api-Key", Smuggling)]
    [InlineData("X-Api-Key", "secret\rX-I: 1")]
    [InlineData("X-Api-Key", "secret\nX-I: 1")]
    [InlineData("X-Api-Key", "secret\0")]
    [InlineData("Host", "x\r\nX-I: 1")]
    public async Task ARequestHeaderValueWithCrLfOrNul_IsRefused_AndNothingReachesTheSocket(string name, string value)
    {
        using HttpClient client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUri);
        Assert.True(request.Headers.TryAddWithoutValidation(name, value));

        Exception error = await Record.ExceptionAsync(() => client.SendAsync(request)).DefaultTimeout();

        Assert.DoesNotContain("_sim/reset", _server.ReceivedText, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _server.ReceivedText);
        ArgumentException refusal = Assert.IsType<ArgumentException>(error);
        Assert.Contains($"'{name}'", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("_sim", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AContentHeaderValueWithCrLf_IsRefused_AndNothingReachesTheSocket()
    {
        using HttpClient client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.BaseUri) { Content = new StringContent("{}") };
        Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Language", Smuggling));

        Exception error = await Record.ExceptionAsync(() => client.SendAsync(request)).DefaultTimeout();

        Assert.Equal(string.Empty, _server.ReceivedText);
        Assert.Contains("'Content-Language'", Assert.IsType<ArgumentException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRefusal_NamesTheHeaderAndWhereTheCharacterIs_NotTheValue()
    {
        using HttpClient client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUri);
        Assert.True(request.Headers.TryAddWithoutValidation("X-Api-Key", "sk-12345\r\nX-I: 1"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(request)).DefaultTimeout();

        Assert.Equal(
            "Request header 'X-Api-Key' was not sent: its value (16 characters, not shown) holds a CR at index 8; header values must not contain CR, LF or NUL. (Parameter 'request')",
            error.Message);
    }

    [Fact]
    public async Task ARefusedRequest_NeverEntersItsLane()
    {
        using HttpClient client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUri);
        Assert.True(request.Headers.TryAddWithoutValidation("X-Api-Key", "a\nb"));

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(request)).DefaultTimeout();

        LaneSnapshot lane = _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName);
        Assert.Equal((0L, 0L, 0L), (lane.Succeeded, lane.Failed, lane.Cancelled));
    }

    [Fact]
    public async Task PlainHeaders_AreSentAsTheyAre()
    {
        using HttpClient client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUri);
        Assert.True(request.Headers.TryAddWithoutValidation("X-Api-Key", "sk-abc \t value"));

        using HttpResponseMessage response = await client.SendAsync(request).DefaultTimeout();

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("sk-abc \t value", _server.Requests[0].Header("X-Api-Key"));
    }

    [Theory]
    [InlineData("X-Api-Key", true)]
    [InlineData("x!#$%&'*+-.^_`|~09", true)]
    [InlineData("", false)]
    [InlineData("X Api", false)]
    [InlineData("X:Api", false)]
    [InlineData("X\r\nApi", false)]
    [InlineData("X\0", false)]
    [InlineData("\u00e9", false)]
    public void HeaderNames_MustBeTokens(string name, bool token)
    {
        Assert.Equal(token, RequestHeaderCheck.IsToken(name));
    }

    private HttpClient Client() => new(new PacerHttpHandler(_engine, null, new SocketsHttpHandler { UseProxy = false }));
}
