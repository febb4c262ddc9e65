using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// A response's content as the caller gets it: the same bytes and headers, and a signal when the
/// body has been read to its end or the content disposed, whichever comes first. Until then the
/// request still occupies the service (a streamed answer is still being produced), so its job
/// keeps the lane's slot. With a <see cref="BodyCapture"/>, what the caller reads is also copied
/// there (within its limit), so that the job can read the answer's real cost.
/// </summary>
internal sealed class SlotHoldingContent : HttpContent
{
    private const int CopyBufferSize = 16 * 1024;

    private readonly HttpContent _inner;
    private readonly BodyCapture? _capture;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SlotHoldingContent(HttpContent inner, BodyCapture? capture = null)
    {
        _inner = inner;
        _capture = capture;
        foreach ((string name, HeaderStringValues values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    /// <summary>The whole body as read by the caller, if it was read to its end within the capture's limit.</summary>
    public ReadOnlyMemory<byte>? CapturedBody => _capture?.Body;

    /// <summary>Completes when the body has been read to its end or the content disposed.</summary>
    public Task Done => _done.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            if (_capture is null)
            {
                await _inner.CopyToAsync(stream, context, cancellationToken).ConfigureAwait(false);
                return;
            }

            Stream source = await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                try
                {
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        _capture.Append(buffer.AsSpan(0, read));
                        await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            _capture.Complete();
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
            if (_capture is null)
            {
                _inner.CopyTo(stream, context, cancellationToken);
                return;
            }

            using Stream source = _inner.ReadAsStream(cancellationToken);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    _capture.Append(buffer.AsSpan(0, read));
                    stream.Write(buffer.AsSpan(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _capture.Complete();
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        await CreateContentReadStreamAsync(CancellationToken.None).ConfigureAwait(false);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new EndSignallingStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _done, _capture);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        new EndSignallingStream(_inner.ReadAsStream(cancellationToken), _done, _capture);

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
