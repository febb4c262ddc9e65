using System.Net;
using Pacer.Http;

namespace Pacer.Cli.Run;

/// <summary>
/// Sits under the Pacer handler: counts the attempts each request makes and the lane's 429 answers,
/// and notes the lowest request limit the service states in its headers (read at most four times a
/// second, so that it costs the request path nothing to speak of).
/// </summary>
internal sealed class AttemptCounter(HttpMessageHandler inner, LaneTally tally, TimeProvider time) : DelegatingHandler(inner)
{
    private static readonly TimeSpan s_statedEvery = TimeSpan.FromMilliseconds(250);
    private long _nextStatedRead;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestTrace? trace = request.Options.TryGetValue(RequestTrace.Key, out RequestTrace? traced) ? traced : null;
        trace?.AttemptStarted(time.GetTimestamp());
        trace?.Attempting?.Invoke(true);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            trace?.Attempting?.Invoke(false);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            tally.RecordTooManyRequests();
        }

        ReadStatedLimit(response);
        return response;
    }

    private void ReadStatedLimit(HttpResponseMessage response)
    {
        long now = time.GetTimestamp();
        long next = Interlocked.Read(ref _nextStatedRead);
        if (now < next || Interlocked.CompareExchange(ref _nextStatedRead, now + (long)(s_statedEvery.TotalSeconds * time.TimestampFrequency), next) != next)
        {
            return;
        }

        OutcomeHints hints = RateLimitHeaders.Parse(response, time);
        if (hints.RequestLimit is > 0 and { } limit && hints.LimitWindow is { } window && window > TimeSpan.Zero)
        {
            tally.RecordStatedLimit(limit / window.TotalSeconds);
        }
    }
}
