namespace Pacer.Http;

/// <summary>
/// A read-only view of a response body that completes <c>done</c> when a read finds its end, a
/// read fails, or the stream is disposed; gives what it reads to <c>capture</c>, if any; and,
/// with a <c>deadline</c>, fails reads with a timeout once it has passed.
/// </summary>
internal sealed class EndSignallingStream(Stream inner, TaskCompletionSource done, BodyCapture? capture, BodyDeadline? deadline) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            // A synchronous read takes no token: when the deadline passes, the body it waits on is let go.
            read = inner.Read(buffer);
        }
        catch (Exception e)
        {
            done.TrySetResult();
            if (deadline is not null && deadline.Explains(CancellationToken.None))
            {
                throw deadline.Error(e);
            }

            throw;
        }

        capture?.Append(buffer[..read]);
        return Ended(read, buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CancellationToken token = cancellationToken;
        CancellationTokenSource? linked = deadline?.Link(cancellationToken, out token);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            done.TrySetResult();
            if (deadline is not null && deadline.Explains(cancellationToken))
            {
                throw deadline.Error(e);
            }

            throw;
        }
        finally
        {
            linked?.Dispose();
        }

        capture?.Append(buffer.Span[..read]);
        return Ended(read, buffer.Length);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            done.TrySetResult();
            deadline?.Stop();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        done.TrySetResult();
        deadline?.Stop();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A read of zero bytes into a non-empty buffer is the end of the body, unless the deadline cut it short.</summary>
    private int Ended(int read, int asked)
    {
        if (read == 0 && asked > 0)
        {
            if (deadline is not null && deadline.Explains(CancellationToken.None))
            {
                throw deadline.Error(null);
            }

            capture?.Complete();
            done.TrySetResult();
            deadline?.Stop();
        }

        return read;
    }
}
