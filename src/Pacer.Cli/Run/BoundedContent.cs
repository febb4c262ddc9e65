using System.Net;

namespace Pacer.Cli.Run;

/// <summary>
/// An answer's body read within two bounds: no more than <c>cap</c> bytes, and no later than the
/// attempt's deadline (its start plus the lane's timeout). Past the cap the body ends early and
/// <see cref="Exceeded"/> says so; at the deadline a read throws a <see cref="TimeoutException"/>.
/// </summary>
/// <remarks>
/// Whatever a service sends, a body then costs at most <c>cap</c> bytes of memory and its request
/// ends by its deadline: a body that never ends, trickles, or promises a <c>Content-Length</c> it
/// never delivers cannot hold a run. A declared length above the cap is known to be too long
/// without reading anything, and is not passed on: a reader that sizes its buffer from it would
/// reserve that much memory before the first byte.
/// </remarks>
internal sealed class BoundedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly long _started;
    private readonly TimeProvider _time;
    private int _exceeded;

    public BoundedContent(HttpContent inner, long cap, long started, TimeSpan timeout, TimeProvider time)
    {
        _inner = inner;
        Cap = cap;
        _started = started;
        Timeout = timeout;
        _time = time;
        foreach ((string name, IEnumerable<string> values) in inner.Headers)
        {
            if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                Headers.TryAddWithoutValidation(name, values);
            }
        }

        DeclaredLength = inner.Headers.ContentLength;
        if (DeclaredLength > cap)
        {
            _exceeded = 1;
        }
        else if (DeclaredLength is { } length)
        {
            Headers.ContentLength = length;
        }
    }

    /// <summary>The most bytes of the body that are read.</summary>
    public long Cap { get; }

    /// <summary>How long the whole answer may take, from the attempt's start.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The body's length as the service declared it, whether or not it is within the cap.</summary>
    public long? DeclaredLength { get; }

    /// <summary>Whether the body is longer than <see cref="Cap"/>: declared so, or found so while reading. What was read of it is then not the whole body.</summary>
    public bool Exceeded => Volatile.Read(ref _exceeded) == 1;

    /// <summary>Time left until the deadline; zero or less once it has passed.</summary>
    internal TimeSpan Remaining => Timeout - _time.GetElapsedTime(_started);

    internal TimeProvider Time => _time;

    internal void MarkExceeded() => Volatile.Write(ref _exceeded, 1);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        Exceeded ? Stream.Null : new BoundedStream(this, await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Stream body = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = DeclaredLength ?? 0;
        return DeclaredLength <= Cap;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
