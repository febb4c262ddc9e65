namespace Pacer.Http;

/// <summary>
/// Where a request was first sent, and how: following a redirect changes the request itself, as
/// HttpClient's own redirects do (so the final response's <see cref="HttpResponseMessage.RequestMessage"/>
/// names where it came from); each new attempt starts again from here.
/// </summary>
internal sealed class RequestRoute(HttpRequestMessage request)
{
    private readonly HttpMethod _method = request.Method;
    private readonly Uri? _uri = request.RequestUri;
    private readonly HttpContent? _content = request.Content;
    private readonly bool? _chunked = request.Headers.TransferEncodingChunked;

    /// <summary>Puts the request back as it was sent first, if a redirect changed it.</summary>
    public void Restore()
    {
        if (ReferenceEquals(request.RequestUri, _uri) && request.Method == _method && ReferenceEquals(request.Content, _content))
        {
            return;
        }

        request.RequestUri = _uri;
        request.Method = _method;
        request.Content = _content;
        request.Headers.TransferEncodingChunked = _chunked;
    }
}
