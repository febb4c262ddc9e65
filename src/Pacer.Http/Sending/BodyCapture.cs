namespace Pacer.Http;

/// <summary>
/// A copy of a body as the caller reads it, so that its real cost can be read once it has arrived
/// whole: the whole body while it stays within a limit; or, for an event stream (whose usage comes
/// at its end), its last whole events within that limit.
/// </summary>
internal sealed class BodyCapture(int limit, bool keepTail)
{
    private byte[] _buffer = [];
    private int _length;
    private bool _cut;
    private bool _complete;

    /// <summary>
    /// Once the body has been read to its end: the whole of it, or the last whole events of an
    /// event stream longer than the limit; else <see langword="null"/>.
    /// </summary>
    public ReadOnlyMemory<byte>? Body
    {
        get
        {
            if (!_complete || (_cut && !keepTail))
            {
                return null;
            }

            int start = Math.Max(0, _length - limit);
            ReadOnlyMemory<byte> kept = _buffer.AsMemory(start, _length - start);
            if (start == 0 && !_cut)
            {
                return kept;
            }

            // The first event kept may have lost its start: begin after the first blank line.
            int boundary = kept.Span.IndexOf("\n\n"u8);
            return boundary < 0 ? null : kept[(boundary + 2)..];
        }
    }

    /// <summary>Keeps bytes just read; past the limit, lets go of all of them, or for an event stream of the oldest.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if ((_cut && !keepTail) || bytes.IsEmpty)
        {
            return;
        }

        if (!keepTail)
        {
            if (_length + bytes.Length > limit)
            {
                _cut = true;
                _buffer = [];
                _length = 0;
                return;
            }

            Store(bytes, limit);
            return;
        }

        // An event stream keeps up to twice the limit, then moves its last `limit` bytes to the
        // front: each byte is moved about once, however small the reads.
        if (bytes.Length >= limit)
        {
            _cut = true;
            _length = 0;
            bytes = bytes[^limit..];
        }
        else if (_length + bytes.Length > 2 * limit)
        {
            _cut = true;
            int keep = limit - bytes.Length;
            _buffer.AsSpan(_length - keep, keep).CopyTo(_buffer);
            _length = keep;
        }

        Store(bytes, 2 * limit);
    }

    /// <summary>The body has been read to its end.</summary>
    public void Complete() => _complete = true;

    private void Store(ReadOnlySpan<byte> bytes, int capacity)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(capacity, Math.Max(_length + bytes.Length, Math.Max(256, _buffer.Length * 2))));
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}
