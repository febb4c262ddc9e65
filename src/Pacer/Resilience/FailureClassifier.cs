using System.Net.Http;

namespace Pacer;

/// <summary>The default judgement of failures, used when a <see cref="RetryPolicy"/> names no classifier.</summary>
public static class FailureClassifier
{
    /// <summary>
    /// Rate-limited: a <see cref="RetryableException"/> marked as a rate limit, an <see cref="HttpRequestException"/> with 429.
    /// Retryable: other <see cref="RetryableException"/>s (with their retry-after), <see cref="TimeoutException"/>,
    /// <see cref="HttpRequestException"/> without a status or with 408, 429 or 5xx, <see cref="IOException"/>,
    /// and cancellations that did not come from the job's own token (a client's timeout).
    /// Everything else, <see cref="PermanentException"/> included, is permanent: a bug does not get better by retrying.
    /// </summary>
    /// <param name="exception">The failure of one attempt.</param>
    /// <returns>The verdict.</returns>
    public static FailureVerdict Default(Exception exception) => exception switch
    {
        RetryableException r => new FailureVerdict(r.IsRateLimit ? FailureKind.RateLimited : FailureKind.Retryable, r.RetryAfter),
        HttpRequestException { StatusCode: System.Net.HttpStatusCode.TooManyRequests } => FailureVerdict.RateLimited(),
        PermanentException => FailureVerdict.Permanent,
        TimeoutException => FailureVerdict.Retry,
        HttpRequestException { StatusCode: null } => FailureVerdict.Retry,
        HttpRequestException { StatusCode: { } status } when IsRetryableStatus((int)status) => FailureVerdict.Retry,
        IOException => FailureVerdict.Retry,
        OperationCanceledException => FailureVerdict.Retry,
        _ => FailureVerdict.Permanent,
    };

    private static bool IsRetryableStatus(int status) => status is 408 or 429 or >= 500;
}
