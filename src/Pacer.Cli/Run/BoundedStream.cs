using Pacer.Shared;
namespace Pacer.Cli.Run;

/// <summary>
/// Reads a body for <see cref="BoundedContent"/>: ends after its cap (marking it exceeded when more
/// was coming), and throws <see cref="TimeoutException"/> once its deadline has passed.
/// </summary>
internal sealed class BoundedStream(BoundedContent content, Stream inner) : Stream
{
    private long _read;
    private bool _ended;
    private CancellationTokenSource? _deadline;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _ended)
        {
            return 0;
        }

        CancellationToken deadline = Deadline();
        using CancellationTokenSource? linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline) : null;
        CancellationToken token = linked?.Token ?? deadline;
        try
        {
            if (_read >= content.Cap)
            {
                // At the cap: one byte more tells a body that ends here from a longer one, which is cut.
                _ended = true;
                if (await inner.ReadAsync(new byte[1], token).ConfigureAwait(false) > 0)
                {
                    content.MarkExceeded();
                }

                return 0;
            }

            int read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, content.Cap - _read)], token).ConfigureAwait(false);
            _read += read;
            _ended = read == 0;
            return read;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <remarks>Reads through the asynchronous path, which alone can be stopped at the deadline.</remarks>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

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
            _deadline?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The token cancelled at the deadline, made on the first read; throws if the deadline has passed.</summary>
    private CancellationToken Deadline()
    {
        if (_deadline is null)
        {
            TimeSpan remaining = content.Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                throw TimedOut();
            }

            _deadline = new CancellationTokenSource(remaining, content.Time);
        }

        return _deadline.Token;
    }

    private TimeoutException TimedOut() =>
        new($"The body was still arriving when the answer's {DurationSyntax.Format(content.Timeout)} timeout ran out ({_read} bytes read).");
}
