using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>
/// How one provider spells rate-limit headers and error bodies. The endpoint logic is the same for
/// all; only what goes on the wire differs.
/// </summary>
internal abstract class ProviderDialect
{
    /// <summary>
    /// Writes the rate-limit headers of an accepted or rejected request. <paramref name="sinceDecision"/>
    /// is how long ago the decision was made, so that relative reset times stay exact after latency.
    /// </summary>
    public abstract void WriteLimitHeaders(HttpResponse response, LimitDecision decision, TimeSpan sinceDecision, DateTimeOffset now);

    /// <summary>Writes the JSON error body of this provider.</summary>
    protected abstract void WriteErrorBody(Utf8JsonWriter writer, ApiError error, LimitReason reason);

    /// <summary>Answers a rejected request: 429 with <c>Retry-After</c>, or 413 when waiting cannot help.</summary>
    public Task WriteRejectionAsync(HttpContext context, LimitDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var response = context.Response;
        WriteLimitHeaders(response, decision, TimeSpan.Zero, now);
        string message = LimitMessages.Describe(decision);
        if (decision.Reason == LimitReason.RequestTooLarge)
        {
            return WriteErrorAsync(context, new ApiError(413, ErrorKind.RequestTooLarge, message), decision.Reason, cancellationToken);
        }

        WriteRetryAfter(response, decision.RetryAfter);
        return WriteErrorAsync(context, new ApiError(429, ErrorKind.RateLimited, message), decision.Reason, cancellationToken);
    }

    /// <summary>Answers with an error body.</summary>
    public Task WriteErrorAsync(HttpContext context, ApiError error, CancellationToken cancellationToken) =>
        WriteErrorAsync(context, error, LimitReason.None, cancellationToken);

    /// <summary>Writes <c>Retry-After</c> in whole seconds, rounded up.</summary>
    public virtual void WriteRetryAfter(HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = HeaderValues.RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture);

    protected static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A relative reset time as it stands <paramref name="sinceDecision"/> after the decision.</summary>
    protected static TimeSpan ResetNow(WindowState state, TimeSpan sinceDecision) =>
        state.ResetAfter > sinceDecision ? state.ResetAfter - sinceDecision : TimeSpan.Zero;

    private Task WriteErrorAsync(HttpContext context, ApiError error, LimitReason reason, CancellationToken cancellationToken) =>
        JsonResponse.WriteAsync(
            context.Response,
            error.StatusCode,
            (Dialect: this, Error: error, Reason: reason),
            static (writer, s) => s.Dialect.WriteErrorBody(writer, s.Error, s.Reason),
            cancellationToken);
}
