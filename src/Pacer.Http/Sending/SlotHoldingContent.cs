using System.Net;
using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// A response's content as the caller gets it: the same bytes and headers, and a signal when the
/// body has been read to its end or the content disposed, whichever comes first. Until then the
/// request still occupies the service (a streamed answer is still being produced), so its job
/// keeps the lane's slot.
/// </summary>
internal sealed class SlotHoldingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SlotHoldingContent(HttpContent inner)
    {
        _inner = inner;
        foreach ((string name, HeaderStringValues values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    /// <summary>Completes when the body has been read to its end or the content disposed.</summary>
    public Task Done => _done.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            await _inner.CopyToAsync(stream, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Read to its end, or failed part-way: either way the request no longer runs.
            _done.TrySetResult();
        }
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            _inner.CopyTo(stream, context, cancellationToken);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        await CreateContentReadStreamAsync(CancellationToken.None).ConfigureAwait(false);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new EndSignallingStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _done);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        new EndSignallingStream(_inner.ReadAsStream(cancellationToken), _done);

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _done.TrySetResult();
        }

        base.Dispose(disposing);
    }
}
