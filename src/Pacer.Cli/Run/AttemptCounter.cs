using System.Net;

namespace Pacer.Cli.Run;

/// <summary>Sits under the Pacer handler: counts the attempts each request makes, and the lane's 429 answers.</summary>
internal sealed class AttemptCounter(HttpMessageHandler inner, LaneTally tally) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(RequestTrace.Key, out RequestTrace? trace))
        {
            trace.AttemptStarted();
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            tally.RecordTooManyRequests();
        }

        return response;
    }
}
