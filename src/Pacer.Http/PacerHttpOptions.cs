using System.Net;

namespace Pacer.Http;

/// <summary>
/// How a <see cref="PacerHttpHandler"/> sends requests: the lane they travel in, their priority,
/// cost and attempt timeout, how they are retried, and which answers are worth another attempt.
/// Validated and copied when the handler is built; later changes do nothing to it.
/// </summary>
public sealed class PacerHttpOptions
{
    /// <summary>The lane every request travels in, unless <see cref="LaneSelector"/> is set.</summary>
    /// <value>Default <see langword="null"/>: the engine's <c>default</c> lane. Not empty when set.</value>
    public string? Lane { get; set; }

    /// <summary>
    /// Chooses each request's lane (by host, path or model, for example); a <see langword="null"/>
    /// answer means the <c>default</c> lane. Set this or <see cref="Lane"/>, not both.
    /// </summary>
    /// <value>Default <see langword="null"/>: every request goes to <see cref="Lane"/>.</value>
    public Func<HttpRequestMessage, string>? LaneSelector { get; set; }

    /// <summary>Higher starts first within a lane; waiting requests age so that none starves.</summary>
    /// <value>Default 0; between -1,000,000 and 1,000,000.</value>
    public int Priority { get; set; }

    /// <summary>
    /// The longest one attempt may take, the whole answer included: from sending until the
    /// response headers have arrived and the body has been read to its end (or the response
    /// disposed). An attempt that times out before its response is handed to the caller is
    /// retried; when the last one times out, the caller gets a <see cref="TaskCanceledException"/>
    /// whose inner exception is a <see cref="TimeoutException"/>, as with
    /// <see cref="HttpClient.Timeout"/>. A longer or chunked body is handed to the caller while it
    /// streams and is not retried any more: if it has not been read to its end by the timeout, it
    /// is let go (its connection closed, the lane's slot freed) and the caller's read fails the
    /// same way.
    /// </summary>
    /// <value>Default <see langword="null"/>: no limit per attempt (<see cref="HttpClient.Timeout"/> still bounds the whole call).</value>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>
    /// How failed attempts are retried: how many, and the backoff when the service gave no
    /// retry-after. A retry-after from the service is honoured exactly, up to
    /// <see cref="RetryPolicy.MaxRetryAfter"/>; a longer one ends the retries and the caller gets
    /// that response.
    /// </summary>
    /// <value>Default <see langword="null"/>: the engine's <see cref="PacerOptions.DefaultRetry"/> (3 attempts).</value>
    public RetryPolicy? Retry { get; set; }

    /// <summary>
    /// How many redirects one attempt follows, within the request's origin (the same scheme, host
    /// and port): a 301, 302 or 303 turns a POST (a 303 anything but GET or HEAD) into a GET
    /// without a body, a 307 or 308 keeps the method and body. A redirect to another origin is
    /// never followed, so that the request's headers (API keys among them) go nowhere else: the
    /// caller gets an <see cref="HttpRequestException"/> naming the status and the target, with
    /// <see cref="HttpRequestException.StatusCode"/> set. So does one redirect more than this.
    /// Set 0 to have every redirect returned to the caller as the answer. The handler turns off
    /// automatic redirects of its primary handler to see them at all (see <see cref="PacerHttpHandler"/>).
    /// </summary>
    /// <value>Default 5; between 0 and 50.</value>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Response statuses that are retried. Any other status goes back to the caller at once,
    /// except a 403 that the headers mark as a rate-limit refusal (GitHub's way), which is retried
    /// too. A response header <c>x-should-retry: true</c> or <c>false</c> on an unsuccessful
    /// response overrides both rules.
    /// </summary>
    /// <value>Default 408, 429, 500, 502, 503 and 504.</value>
    public ISet<HttpStatusCode> RetryableStatusCodes { get; init; } = new HashSet<HttpStatusCode>
    {
        HttpStatusCode.RequestTimeout,
        HttpStatusCode.TooManyRequests,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
    };

    /// <summary>
    /// Estimates what a request spends of its lane's cost rates and cost quota (for example the
    /// tokens of a prompt plus its <c>max_tokens</c>). Called once per request, before it is queued.
    /// </summary>
    /// <value>Default <see langword="null"/>: every request costs 1.</value>
    public Func<HttpRequestMessage, long>? CostEstimator { get; set; }

    /// <summary>
    /// Reads what a request really cost from its final answer (for example
    /// <see cref="TokenUsage.Read"/>: the tokens in a chat completion's <c>usage</c>); the lane's
    /// cost rates and cost quota are corrected at once, in place of the
    /// <see cref="CostEstimator"/>'s figure. Called with the whole body when it is at most 64 KiB:
    /// at once for a body of known length (read within the attempt), or once the caller has read a
    /// chunked or compressed one to its end (the lane's slot is held until then anyway). An event
    /// stream (<c>text/event-stream</c>), whose usage comes last, is given as its last whole events
    /// within 64 KiB. Not called for other bodies over 64 KiB, nor for one the caller leaves
    /// unread. A <see langword="null"/> answer, or an exception, keeps the estimate.
    /// </summary>
    /// <value>Default <see langword="null"/>: the estimate stands.</value>
    public Func<HttpResponseMessage, ReadOnlyMemory<byte>, long?>? CostFromResponse { get; set; }
}
