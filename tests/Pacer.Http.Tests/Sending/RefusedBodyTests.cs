using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Pacer.Http.Tests.Sending;

/// <summary>
/// What the handler reads itself is bounded whatever a server sends: a refusal keeps at most the
/// first 64 KiB of its body, and the rest is dropped with its connection.
/// </summary>
public sealed class RefusedBodyTests : IAsyncDisposable
{
    private const int Kept = 64 * 1024;

    /// <summary>What a server here sends at most before it gives up and holds its connection open: far more than the handler may keep.</summary>
    private const long ServerCap = 64L * 1024 * 1024;

    private readonly FakeTimeProvider _time = new();
    private readonly PacerEngine _engine;
    private readonly Occurrences _retries = new();

    public RefusedBodyTests()
    {
        _engine = new PacerEngine(new PacerOptions { TimeProvider = _time });
        _engine.JobRetrying += (_, _) => _retries.Add();
    }

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task A429WithABodyThatDoesNotEnd_IsRetried_KeepingOnlyABoundedPrefix_AndItsConnectionIsClosed()
    {
        long written = 0;
        int closed = 0;
        await using var server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 429 Too Many Requests\r\nretry-after-ms: 10\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = Encoding.ASCII.GetBytes($"4000\r\n{new string('x', 0x4000)}\r\n");
            try
            {
                while (Interlocked.Read(ref written) < ServerCap)
                {
                    await connection.WriteAsync(chunk);
                    Interlocked.Add(ref written, chunk.Length);
                }
            }
            catch (IOException)
            {
                Interlocked.Increment(ref closed);
                throw;
            }

            await connection.StallAsync();
        });
        using HttpClient client = Client(attempts: 2);

        Task<HttpResponseMessage> sending = client.GetAsync(server.BaseUri);
        await _retries.Reached(1).DefaultTimeout();
        _time.Advance(TimeSpan.FromMilliseconds(10));
        using HttpResponseMessage response = await sending.DefaultTimeout();

        Assert.Equal(429, (int)response.StatusCode);
        string body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.Equal(new string('x', Kept), body);
        Assert.True(response.IsBodyTruncated());
        Assert.Equal(2, server.Requests.Count);
        Assert.True(Interlocked.Read(ref written) < ServerCap, $"The server wrote {Interlocked.Read(ref written)} bytes: the handler kept reading.");
        await Eventually.HoldsAsync(() => Volatile.Read(ref closed) == 2, "both connections to be closed");
    }

    [Fact]
    public async Task A503WithALongBodyOfKnownLength_KeepsOnlyABoundedPrefix()
    {
        await using var server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync($"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\nContent-Length: {1_000_000}\r\n\r\n");
            await connection.WriteAsync(new string('y', 1_000_000));
        });
        using HttpClient client = Client(attempts: 1);

        using HttpResponseMessage response = await client.GetAsync(server.BaseUri).DefaultTimeout();

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Kept, response.Content.Headers.ContentLength);
        Assert.Equal(new string('y', Kept), await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.True(response.IsBodyTruncated());
    }

    [Fact]
    public async Task A503WithABodyOfExactlyTheLimit_IsKeptWhole_AndNotMarkedTruncated()
    {
        await using var server = RawHttpServer.Answering(async (_, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n");
            await connection.WriteAsync($"{Kept:x}\r\n{new string('z', Kept)}\r\n0\r\n\r\n");
        });
        using HttpClient client = Client(attempts: 1);

        using HttpResponseMessage response = await client.GetAsync(server.BaseUri).DefaultTimeout();

        Assert.Equal(new string('z', Kept), await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.False(response.IsBodyTruncated());
    }

    [Fact]
    public async Task A429WithAShortChunkedBody_KeepsItWhole()
    {
        await using var server = RawHttpServer.Answering(async (_, connection) =>
            await connection.WriteAsync("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n{\"error\":1}\r\n0\r\n\r\n"));
        using HttpClient client = Client(attempts: 1);

        using HttpResponseMessage response = await client.GetAsync(server.BaseUri).DefaultTimeout();

        Assert.Equal("{\"error\":1}", await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.IsBodyTruncated());
    }

    private HttpClient Client(int attempts) => new(new PacerHttpHandler(
        _engine,
        new PacerHttpOptions { Retry = new RetryPolicy { MaxAttempts = attempts } },
        new SocketsHttpHandler { UseProxy = false }));
}
