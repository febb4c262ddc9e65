using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// A response's content as the caller gets it: the same bytes and headers, and a signal when the
/// body has been read to its end, the content disposed, or the attempt's deadline passed,
/// whichever comes first. Until then the request still occupies the service (a streamed answer is
/// still being produced), so its job keeps the lane's slot. With a <see cref="BodyCapture"/>, what
/// the caller reads is also copied there (within its limit), so that the job can read the
/// answer's real cost. With a <see cref="BodyDeadline"/>, reads still waiting when it passes fail
/// with a timeout, the body is let go (its connection closed) and so is the slot.
/// </summary>
internal sealed class SlotHoldingContent : HttpContent
{
    private const int CopyBufferSize = 16 * 1024;

    private readonly HttpContent _inner;
    private readonly BodyCapture? _capture;
    private readonly BodyDeadline? _deadline;
    private readonly long? _length;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SlotHoldingContent(HttpContent inner, BodyCapture? capture = null, BodyDeadline? deadline = null)
    {
        _inner = inner;
        _capture = capture;
        _deadline = deadline;

        // Read now: the inner content may be let go (and then refuses to say) before the caller asks.
        _length = inner.Headers.ContentLength;
        foreach ((string name, HeaderStringValues values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }

        // Registered last: a deadline already past runs this at once.
        deadline?.Token.UnsafeRegister(static state => ((SlotHoldingContent)state!).OnDeadline(), this);
    }

    /// <summary>The whole body as read by the caller, if it was read to its end within the capture's limit.</summary>
    public ReadOnlyMemory<byte>? CapturedBody => _capture?.Body;

    /// <summary>Completes when the body has been read to its end, the content disposed, or the deadline passed.</summary>
    public Task Done => _done.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        CancellationToken token = cancellationToken;
        CancellationTokenSource? linked = _deadline?.Link(cancellationToken, out token);
        try
        {
            await CopyAsync(stream, context, token).ConfigureAwait(false);
        }
        catch (Exception e) when (_deadline is not null && _deadline.Explains(cancellationToken))
        {
            throw _deadline.Error(e);
        }
        finally
        {
            // Read to its end, or failed part-way: either way the request no longer runs.
            _done.TrySetResult();
            _deadline?.Stop();
            linked?.Dispose();
        }

        // A body let go may end as if it were whole: it was not.
        if (_deadline is not null && _deadline.Explains(cancellationToken))
        {
            throw _deadline.Error(null);
        }
    }

    private async Task CopyAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
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

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            Copy(stream, context, cancellationToken);
        }
        catch (Exception e) when (_deadline is not null && _deadline.Explains(cancellationToken))
        {
            // A synchronous read takes no deadline token: the deadline ended it by letting go of the body.
            throw _deadline.Error(e);
        }
        finally
        {
            _done.TrySetResult();
            _deadline?.Stop();
        }

        if (_deadline is not null && _deadline.Explains(cancellationToken))
        {
            throw _deadline.Error(null);
        }
    }

    private void Copy(Stream stream, TransportContext? context, CancellationToken cancellationToken)
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

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        await CreateContentReadStreamAsync(CancellationToken.None).ConfigureAwait(false);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        Stream inner;
        try
        {
            inner = await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (_deadline is not null && _deadline.Explains(cancellationToken))
        {
            throw _deadline.Error(e);
        }

        return new EndSignallingStream(inner, _done, _capture, _deadline);
    }

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken)
    {
        Stream inner;
        try
        {
            inner = _inner.ReadAsStream(cancellationToken);
        }
        catch (Exception e) when (_deadline is not null && _deadline.Explains(cancellationToken))
        {
            throw _deadline.Error(e);
        }

        return new EndSignallingStream(inner, _done, _capture, _deadline);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length ?? 0;
        return _length is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _done.TrySetResult();
            _deadline?.Stop();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The attempt's deadline passed. Unless the body has already arrived, it is let go: disposing
    /// it closes its connection and fails any read still waiting (each then reports the timeout),
    /// and the job gives back the lane's slot.
    /// </summary>
    private void OnDeadline()
    {
        if (_done.Task.IsCompleted)
        {
            return;
        }

        _inner.Dispose();
        _done.TrySetResult();
    }
}
