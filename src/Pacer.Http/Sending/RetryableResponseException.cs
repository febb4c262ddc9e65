using System.Net;

namespace Pacer.Http;

/// <summary>
/// Carries a response that will be retried, inside the <see cref="RetryableException"/> the
/// attempt throws. It is an <see cref="HttpRequestException"/> with the status, so classifiers see
/// the usual shape; when the job finally fails, the handler takes the response back out and gives
/// it to the caller instead of the exception.
/// </summary>
internal sealed class RetryableResponseException : HttpRequestException
{
    public RetryableResponseException(HttpResponseMessage response)
        : base(Describe(response), inner: null, response.StatusCode)
    {
        Response = response;
    }

    public HttpResponseMessage Response { get; }

    private static string Describe(HttpResponseMessage response) =>
        $"The service answered {(int)response.StatusCode} ({(string.IsNullOrEmpty(response.ReasonPhrase) ? Enum.GetName(response.StatusCode) ?? "no reason given" : response.ReasonPhrase)}).";
}
