using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>
/// OpenAI's spelling: <c>x-ratelimit-limit-requests</c>, <c>-remaining-requests</c>,
/// <c>-reset-requests</c> and the <c>-tokens</c> variants, resets as Go durations (<c>6m0s</c>);
/// <c>retry-after</c> and <c>retry-after-ms</c> on 429; errors as <c>{"error":{message,type,param,code}}</c>.
/// </summary>
internal sealed class OpenAIDialect : ProviderDialect
{
    public static readonly OpenAIDialect Instance = new();

    public override void WriteLimitHeaders(HttpResponse response, LimitDecision decision, TimeSpan sinceDecision, DateTimeOffset now)
    {
        var headers = response.Headers;
        if (decision.RequestsPerMinute is { } requests)
        {
            headers["x-ratelimit-limit-requests"] = Number(requests.Limit);
            headers["x-ratelimit-remaining-requests"] = Number(requests.Remaining);
            headers["x-ratelimit-reset-requests"] = GoDuration.FormatMilliseconds(ResetNow(requests, sinceDecision));
        }

        if (decision.Tokens is { } tokens)
        {
            headers["x-ratelimit-limit-tokens"] = Number(tokens.Limit);
            headers["x-ratelimit-remaining-tokens"] = Number(tokens.Remaining);
            headers["x-ratelimit-reset-tokens"] = GoDuration.FormatMilliseconds(ResetNow(tokens, sinceDecision));
        }
    }

    public override void WriteRetryAfter(HttpResponse response, TimeSpan wait)
    {
        base.WriteRetryAfter(response, wait);
        response.Headers["retry-after-ms"] = HeaderValues.RetryAfterMilliseconds(wait).ToString(CultureInfo.InvariantCulture);
    }

    protected override void WriteErrorBody(Utf8JsonWriter writer, ApiError error, LimitReason reason)
    {
        (string type, string? code) = error.Kind switch
        {
            ErrorKind.RateLimited => (LimitMessages.Dimension(reason), "rate_limit_exceeded"),
            ErrorKind.RequestTooLarge => ("tokens", "rate_limit_exceeded"),
            ErrorKind.NotFound => ("invalid_request_error", "not_found"),
            ErrorKind.ServerError => ("server_error", null),
            ErrorKind.Unavailable => ("server_error", "service_unavailable"),
            _ => ("invalid_request_error", null),
        };

        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", type);
        writer.WriteNull("param");
        writer.WriteString("code", code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
