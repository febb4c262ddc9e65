using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Pacer.Http.Tests.Sending;

/// <summary>
/// The attempt timeout covers the whole answer, its body too, against a real socket whose server
/// misbehaves: a body that trickles, a body that stops short of its length. Time is fake.
/// </summary>
public sealed class AnswerTimeoutTests : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();
    private readonly PacerEngine _engine;

    public AnswerTimeoutTests()
    {
        _engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        _engine.AddLane("one", new LaneOptions { MaxConcurrency = 1 });
    }

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task ATricklingChunkedBody_FailsTheCallersRead_AtTheAttemptTimeout_AndFreesTheSlot()
    {
        using var more = new SemaphoreSlim(0);
        await using var server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            while (true)
            {
                await more.WaitAsync(connection.Stopping);
                await connection.WriteAsync("5\r\nhello\r\n");
            }
        });
        using HttpClient client = Client();

        using HttpResponseMessage response = await client.GetAsync(server.BaseUri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Stream body = await response.Content.ReadAsStreamAsync();
        more.Release();
        Assert.Equal("hello", await ReadSomeAsync(body));
        _time.Advance(TimeSpan.FromSeconds(3));
        more.Release();
        Assert.Equal("hello", await ReadSomeAsync(body));
        Task<int> waiting = body.ReadAsync(new byte[64]).AsTask();
        _time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => waiting).DefaultTimeout();
        Assert.IsType<TimeoutException>(error.InnerException);
        await Eventually.HoldsAsync(() => _engine.GetLaneSnapshot("one").Running == 0, "the lane's slot to be free");
    }

    [Fact]
    public async Task ABodyShortOfItsContentLength_OnAConnectionLeftOpen_FailsTheCallersRead_AtTheAttemptTimeout_AndFreesTheSlot()
    {
        await using var server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n0123456789");
            await connection.StallAsync();
        });
        using HttpClient client = Client();

        using HttpResponseMessage response = await client.GetAsync(server.BaseUri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Stream body = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        while (received.Length < 10)
        {
            received.Append(await ReadSomeAsync(body));
        }

        Task<int> waiting = body.ReadAsync(new byte[64]).AsTask();
        _time.Advance(s_timeout);

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => waiting).DefaultTimeout();
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal("0123456789", received.ToString());
        await Eventually.HoldsAsync(() => _engine.GetLaneSnapshot("one").Running == 0, "the lane's slot to be free");
    }

    [Fact]
    public async Task ABodyShortOfItsContentLength_FailsACallerThatReadsItWhole_AtTheAttemptTimeout()
    {
        await using var server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n0123456789");
            await connection.StallAsync();
        });
        using HttpClient client = Client();

        using HttpResponseMessage response = await client.GetAsync(server.BaseUri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Task<string> reading = response.Content.ReadAsStringAsync();
        _time.Advance(s_timeout);

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => reading).DefaultTimeout();
        Assert.IsType<TimeoutException>(error.InnerException);
        await Eventually.HoldsAsync(() => _engine.GetLaneSnapshot("one").Running == 0, "the lane's slot to be free");
    }

    [Fact]
    public async Task ABodyLeftUnread_FreesTheSlot_AtTheAttemptTimeout()
    {
        await using var server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            await connection.StallAsync();
        });
        using HttpClient client = Client();

        using HttpResponseMessage response = await client.GetAsync(server.BaseUri, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        Assert.Equal(1, _engine.GetLaneSnapshot("one").Running);
        _time.Advance(s_timeout);

        await Eventually.HoldsAsync(() => _engine.GetLaneSnapshot("one").Running == 0, "the lane's slot to be free");
        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => response.Content.ReadAsStringAsync()).DefaultTimeout();
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    private HttpClient Client() => new(new PacerHttpHandler(
        _engine,
        new PacerHttpOptions { Lane = "one", AttemptTimeout = s_timeout, Retry = RetryPolicy.None },
        new SocketsHttpHandler { UseProxy = false }));

    private static async Task<string> ReadSomeAsync(Stream body)
    {
        byte[] buffer = new byte[64];
        int read = await body.ReadAsync(buffer).DefaultTimeout();
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
