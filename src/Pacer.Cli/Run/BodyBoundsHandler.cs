namespace Pacer.Cli.Run;

/// <summary>
/// Sits under the Pacer handler, next to the sockets: gives each answer a body that is read no
/// further than the run's cap and no later than its attempt's deadline (see <see cref="BoundedContent"/>),
/// whoever reads it: the Pacer handler (a short body, or a refused answer's before a retry) or the run.
/// </summary>
internal sealed class BodyBoundsHandler(HttpMessageHandler inner, long maxBody, TimeSpan timeout, TimeProvider time) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The deadline counts from here, as the Pacer handler's timeout of the attempt does.
        long started = time.GetTimestamp();
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (HasNoBody(request, response))
        {
            // Its Content-Length, if any, describes the resource, not a body that comes.
            return response;
        }

        var body = new BoundedContent(response.Content, maxBody, started, timeout, time);
        response.Content = body;
        if (request.Options.TryGetValue(RequestTrace.Key, out RequestTrace? trace))
        {
            trace.Answered(body);
        }

        return response;
    }

    /// <summary>Whether an answer has no body by HTTP's rules (an answer to HEAD, 1xx, 204, 304), whatever its Content-Length says.</summary>
    public static bool HasNoBody(HttpRequestMessage request, HttpResponseMessage response) =>
        request.Method == HttpMethod.Head || (int)response.StatusCode is < 200 or 204 or 304;
}
