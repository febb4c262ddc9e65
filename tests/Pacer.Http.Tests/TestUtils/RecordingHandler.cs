using System.Net;

namespace Pacer.Http.Tests;

/// <summary>Sits under the Pacer handler and logs every attempt that reaches the network, with its real time.</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly Lock _lock = new();
    private readonly List<Attempt> _attempts = [];

    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long sentAt = TimeProvider.System.GetTimestamp();
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        string? retryAfterMs = response.Headers.TryGetValues("retry-after-ms", out var values) ? values.First() : null;
        lock (_lock)
        {
            _attempts.Add(new Attempt(sentAt, TimeProvider.System.GetTimestamp(), response.StatusCode, retryAfterMs is null ? null : TimeSpan.FromMilliseconds(double.Parse(retryAfterMs, System.Globalization.CultureInfo.InvariantCulture))));
        }

        return response;
    }

    /// <summary>One attempt: when it was sent and answered (timestamps), its status and any retry-after-ms.</summary>
    public sealed record Attempt(long SentAt, long AnsweredAt, HttpStatusCode Status, TimeSpan? RetryAfterMs);
}
