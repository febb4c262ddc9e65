namespace Pacer.Http;

/// <summary>What a <see cref="PacerHttpHandler"/> did to a response it hands back.</summary>
public static class PacerHttpResponseMessageExtensions
{
    /// <summary>
    /// Whether the response's body was cut: a refused answer (one the handler retries, or hands back
    /// when the retries run out or its retry-after is too long) keeps at most the first 64 KiB of its
    /// body, so that a service sending an endless error body cannot grow memory without bound.
    /// </summary>
    /// <param name="response">A response returned through a <see cref="PacerHttpHandler"/>.</param>
    /// <returns><see langword="true"/> when the body holds only the first 64 KiB of what the service sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    public static bool IsBodyTruncated(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Content is TruncatedBodyContent;
    }
}
