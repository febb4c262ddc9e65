namespace Pacer.Http;

/// <summary>
/// A read-only view of a response body that completes <c>done</c> when a read finds its end, a
/// read fails, or the stream is disposed; and gives what it reads to <c>capture</c>, if any.
/// </summary>
internal sealed class EndSignallingStream(Stream inner, TaskCompletionSource done, BodyCapture? capture) : Stream
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
        try
        {
            int read = inner.Read(buffer);
            capture?.Append(buffer[..read]);
            return Ended(read, buffer.Length);
        }
        catch
        {
            done.TrySetResult();
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            capture?.Append(buffer.Span[..read]);
            return Ended(read, buffer.Length);
        }
        catch
        {
            done.TrySetResult();
            throw;
        }
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
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        done.TrySetResult();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A read of zero bytes into a non-empty buffer is the end of the body.</summary>
    private int Ended(int read, int asked)
    {
        if (read == 0 && asked > 0)
        {
            capture?.Complete();
            done.TrySetResult();
        }

        return read;
    }
}
