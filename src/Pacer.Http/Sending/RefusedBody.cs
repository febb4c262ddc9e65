using System.Buffers;
using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// Reads a refused answer's body (one that will be retried, or given back when the attempts run
/// out) into memory, so that its connection serves others during the wait; at most
/// <see cref="Limit"/> bytes of it, whatever the server sends. A longer body keeps its first
/// <see cref="Limit"/> bytes and the rest is dropped with the connection; its content is then a
/// <see cref="TruncatedBodyContent"/>, which <see cref="PacerHttpResponseMessageExtensions.IsBodyTruncated"/> tells.
/// </summary>
internal static class RefusedBody
{
    /// <summary>The most of a refused answer's body that is kept: error bodies are small, and one that never ends must not grow memory.</summary>
    public const int Limit = 64 * 1024;

    public static async Task KeepPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        HttpContent content = response.Content;
        if (content.Headers.ContentLength is { } length && length <= Limit)
        {
            // The limit holds even if the stated length is wrong: more fails the read, as a broken answer.
            await content.LoadIntoBufferAsync(Limit, cancellationToken).ConfigureAwait(false);
            return;
        }

        // One byte past the limit tells a body that was cut from one that ends exactly there.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Limit + 1);
        try
        {
            int filled = 0;
            Stream body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int read;
                while (filled <= Limit && (read = await body.ReadAsync(buffer.AsMemory(filled, Limit + 1 - filled), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    filled += read;
                }
            }

            // Disposing the original before its end gives up its connection rather than read on.
            response.Content = Copy(content.Headers, buffer.AsSpan(0, Math.Min(filled, Limit)).ToArray(), truncated: filled > Limit);
            content.Dispose();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The kept bytes under the original content headers, with the length of what was kept.</summary>
    private static ByteArrayContent Copy(HttpContentHeaders headers, byte[] kept, bool truncated)
    {
        ByteArrayContent copy = truncated ? new TruncatedBodyContent(kept) : new ByteArrayContent(kept);
        foreach ((string name, HeaderStringValues values) in headers.NonValidated)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return copy;
    }
}
