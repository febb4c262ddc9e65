namespace Pacer.Http;

/// <summary>The first bytes of a refused answer's body, kept when the rest was dropped (see <see cref="RefusedBody"/>).</summary>
internal sealed class TruncatedBodyContent(byte[] kept) : ByteArrayContent(kept);
