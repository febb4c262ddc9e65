namespace Pacer.Http;

/// <summary>
/// A copy of a body as the caller reads it, kept while it stays within a limit, so that its real
/// cost can be read once it has arrived whole.
/// </summary>
internal sealed class BodyCapture(int limit)
{
    private byte[] _buffer = [];
    private int _length;
    private bool _overflowed;
    private bool _complete;

    /// <summary>The whole body, once read to its end within the limit; else <see langword="null"/>.</summary>
    public ReadOnlyMemory<byte>? Body => _complete && !_overflowed ? _buffer.AsMemory(0, _length) : null;

    /// <summary>Keeps bytes just read; past the limit, lets go of all of them.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_overflowed || bytes.IsEmpty)
        {
            return;
        }

        if (_length + bytes.Length > limit)
        {
            _overflowed = true;
            _buffer = [];
            return;
        }

        if (_length + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(limit, Math.Max(_length + bytes.Length, Math.Max(256, _buffer.Length * 2))));
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>The body has been read to its end.</summary>
    public void Complete() => _complete = true;
}
