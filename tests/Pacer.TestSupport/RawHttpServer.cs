using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pacer.TestSupport;

/// <summary>
/// An HTTP/1.1 server on a raw loopback socket, for the answers a well-behaved server never gives:
/// bodies that trickle or never end, a <c>Content-Length</c> larger than what comes, redirects to
/// elsewhere, headers that lie. Each connection runs the test's own script; everything received
/// is kept, byte for byte, so a test can see exactly what a client put on the wire.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RawConnection, Task> _script;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly ConcurrentQueue<RawRequest> _requests = new();
    private readonly MemoryStream _received = new();
    private readonly Task _accepting;
    private int _connectionCount;

    private RawHttpServer(Func<RawConnection, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a server that runs <paramref name="script"/> for each connection it accepts.</summary>
    public static RawHttpServer Start(Func<RawConnection, Task> script) => new(script);

    /// <summary>Starts a server that reads each request on a connection and answers it with <paramref name="respond"/>.</summary>
    public static RawHttpServer Answering(Func<RawRequest, RawConnection, Task> respond) =>
        new(async connection =>
        {
            while (await connection.ReadRequestAsync().ConfigureAwait(false) is { } request)
            {
                await respond(request, connection).ConfigureAwait(false);
            }
        });

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The server's origin, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>The connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Every request read so far, on any connection, in the order read.</summary>
    public IReadOnlyList<RawRequest> Requests => [.. _requests];

    /// <summary>Every byte received so far on any connection, as Latin-1 text (each byte one char).</summary>
    public string ReceivedText
    {
        get
        {
            lock (_received)
            {
                return Encoding.Latin1.GetString(_received.GetBuffer(), 0, (int)_received.Length);
            }
        }
    }

    internal void Record(ReadOnlySpan<byte> bytes)
    {
        lock (_received)
        {
            _received.Write(bytes);
        }
    }

    internal void Record(RawRequest request) => _requests.Enqueue(request);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connectionCount);
            _clients.Add(client);
            _connections.Add(Task.Run(() => RunAsync(client)));
        }
    }

    private async Task RunAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await _script(new RawConnection(this, client.GetStream(), _stopping.Token)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away, or the server is stopping: the script ends with its connection.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (TcpClient client in _clients)
        {
            client.Dispose();
        }

        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_connections).ConfigureAwait(false);
        _stopping.Dispose();
    }
}

/// <summary>One request as a <see cref="RawHttpServer"/> read it.</summary>
/// <param name="Head">The request line and headers as received, without the blank line that ends them.</param>
public sealed record RawRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, string Head, byte[] Body)
{
    /// <summary>The first value of a header, by case-insensitive name, or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } h ? h.Value : null;
}

/// <summary>One accepted connection of a <see cref="RawHttpServer"/>, for its script to read from and write to.</summary>
public sealed class RawConnection
{
    private readonly RawHttpServer _server;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    internal RawConnection(RawHttpServer server, NetworkStream stream, CancellationToken stopping)
    {
        _server = server;
        Stream = stream;
        Stopping = stopping;
    }

    public NetworkStream Stream { get; }

    /// <summary>Cancelled when the server is disposed: a script that stalls on purpose waits on this.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Reads the next request's head and its <c>Content-Length</c> body; null when the client closed the connection.</summary>
    public async Task<RawRequest?> ReadRequestAsync()
    {
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            if (!await FillAsync().ConfigureAwait(false))
            {
                return null;
            }
        }

        string head = Encoding.Latin1.GetString(_buffer, _start, headEnd - _start);
        _start = headEnd + 4;
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        var headers = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        int length = headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)) is { Key: not null } cl
            && int.TryParse(cl.Value, out int n) ? n : 0;
        byte[] body = new byte[length];
        int copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await FillAsync().ConfigureAwait(false))
            {
                return null;
            }

            int take = Math.Min(length - copied, _end - _start);
            Array.Copy(_buffer, _start, body, copied, take);
            _start += take;
            copied += take;
        }

        var request = new RawRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty, headers, head, body);
        _server.Record(request);
        return request;
    }

    /// <summary>Writes text as Latin-1 bytes, exactly as given (CRLF included by the caller).</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.Latin1.GetBytes(text));

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await Stream.WriteAsync(bytes, Stopping).ConfigureAwait(false);
        await Stream.FlushAsync(Stopping).ConfigureAwait(false);
    }

    /// <summary>Writes a whole response: status line, the given headers, <c>Content-Length</c> and the body.</summary>
    public Task RespondAsync(int status, string body = "", params string[] headers)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        var text = new StringBuilder($"HTTP/1.1 {status} {ReasonOf(status)}\r\n");
        foreach (string header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("Content-Length: ").Append(content.Length).Append("\r\n\r\n");
        byte[] head = Encoding.Latin1.GetBytes(text.ToString());
        byte[] whole = [.. head, .. content];
        return WriteAsync(whole.AsMemory());
    }

    /// <summary>Waits until the server is disposed, holding the connection open and silent.</summary>
    public async Task StallAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }

    private static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private int IndexOfHeadEnd() => _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8) is var i and >= 0 ? _start + i : -1;

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidOperationException("A request head longer than 16 KiB.");
        }

        int read = await Stream.ReadAsync(_buffer.AsMemory(_end), Stopping).ConfigureAwait(false);
        if (read == 0)
        {
            return false;
        }

        _server.Record(_buffer.AsSpan(_end, read));
        _end += read;
        return true;
    }
}
