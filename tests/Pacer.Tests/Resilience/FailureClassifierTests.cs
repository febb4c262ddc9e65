using System.Net;

namespace Pacer.Tests.Resilience;

public class FailureClassifierTests
{
    private static Exception Error(string name) => name switch
    {
        "retryable" => new RetryableException("busy"),
        "permanent" => new PermanentException("no"),
        "timeout" => new TimeoutException(),
        "connection" => new HttpRequestException("reset"),
        "408" => new HttpRequestException("x", null, HttpStatusCode.RequestTimeout),
        "429" => new HttpRequestException("x", null, HttpStatusCode.TooManyRequests),
        "500" => new HttpRequestException("x", null, HttpStatusCode.InternalServerError),
        "503" => new HttpRequestException("x", null, HttpStatusCode.ServiceUnavailable),
        "400" => new HttpRequestException("x", null, HttpStatusCode.BadRequest),
        "401" => new HttpRequestException("x", null, HttpStatusCode.Unauthorized),
        "404" => new HttpRequestException("x", null, HttpStatusCode.NotFound),
        "io" => new IOException("pipe"),
        "foreign cancel" => new OperationCanceledException("client timeout"),
        "bug" => new InvalidOperationException("bug"),
        "format" => new FormatException("bad number"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("retryable", FailureKind.Retryable)]
    [InlineData("permanent", FailureKind.Permanent)]
    [InlineData("timeout", FailureKind.Retryable)]
    [InlineData("connection", FailureKind.Retryable)]
    [InlineData("408", FailureKind.Retryable)]
    [InlineData("429", FailureKind.RateLimited)]
    [InlineData("500", FailureKind.Retryable)]
    [InlineData("503", FailureKind.Retryable)]
    [InlineData("400", FailureKind.Permanent)]
    [InlineData("401", FailureKind.Permanent)]
    [InlineData("404", FailureKind.Permanent)]
    [InlineData("io", FailureKind.Retryable)]
    [InlineData("foreign cancel", FailureKind.Retryable)]
    [InlineData("bug", FailureKind.Permanent)]
    [InlineData("format", FailureKind.Permanent)]
    public void Default_JudgesTheFailure(string error, FailureKind expected)
    {
        Assert.Equal(new FailureVerdict(expected), FailureClassifier.Default(Error(error)));
    }

    [Fact]
    public void Default_CarriesTheRetryAfterOfARetryableException()
    {
        FailureVerdict verdict = FailureClassifier.Default(new RetryableException("slow down", TimeSpan.FromSeconds(12)));

        Assert.Equal(FailureVerdict.RetryAfterDelay(TimeSpan.FromSeconds(12)), verdict);
    }
}
