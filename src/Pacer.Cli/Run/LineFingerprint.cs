using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pacer.Cli.Run;

/// <summary>
/// A short hash of an input line's text, written with its result, so that <c>--resume</c> can tell
/// the results of this input from those of another: the first 64 bits of the SHA-256 of the
/// line's UTF-8 text (without its line break), as 16 hex digits.
/// </summary>
internal static class LineFingerprint
{
    public static ulong Of(string line)
    {
        int length = Encoding.UTF8.GetMaxByteCount(line.Length);
        byte[]? rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> utf8 = rented ?? stackalloc byte[length];
            int written = Encoding.UTF8.GetBytes(line, utf8);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..written], hash);
            return BinaryPrimitives.ReadUInt64BigEndian(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The fingerprint as written in a result: 16 lowercase hex digits.</summary>
    public static string Format(ulong fingerprint) => fingerprint.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Reads a fingerprint as <see cref="Format"/> writes it.</summary>
    public static bool TryParse(string? text, out ulong fingerprint)
    {
        fingerprint = 0;
        return text is { Length: 16 } && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out fingerprint);
    }
}
