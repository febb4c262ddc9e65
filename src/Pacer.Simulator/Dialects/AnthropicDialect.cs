using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>
/// Anthropic's spelling: <c>anthropic-ratelimit-requests-limit</c>, <c>-requests-remaining</c>,
/// <c>-requests-reset</c> and the <c>tokens</c> variants, resets as RFC 3339 timestamps;
/// <c>retry-after</c> on 429; errors as <c>{"type":"error","error":{type,message}}</c>.
/// </summary>
internal sealed class AnthropicDialect : ProviderDialect
{
    public static readonly AnthropicDialect Instance = new();

    public override void WriteLimitHeaders(HttpResponse response, LimitDecision decision, TimeSpan sinceDecision, DateTimeOffset now)
    {
        var headers = response.Headers;

        // The decision was made sinceDecision ago; its absolute reset time does not move.
        DateTimeOffset decidedAt = now - sinceDecision;
        if (decision.RequestsPerMinute is { } requests)
        {
            headers["anthropic-ratelimit-requests-limit"] = Number(requests.Limit);
            headers["anthropic-ratelimit-requests-remaining"] = Number(requests.Remaining);
            headers["anthropic-ratelimit-requests-reset"] = HeaderValues.Rfc3339(decidedAt + requests.ResetAfter);
        }

        if (decision.Tokens is { } tokens)
        {
            headers["anthropic-ratelimit-tokens-limit"] = Number(tokens.Limit);
            headers["anthropic-ratelimit-tokens-remaining"] = Number(tokens.Remaining);
            headers["anthropic-ratelimit-tokens-reset"] = HeaderValues.Rfc3339(decidedAt + tokens.ResetAfter);
        }
    }

    protected override void WriteErrorBody(Utf8JsonWriter writer, ApiError error, LimitReason reason)
    {
        string type = error.Kind switch
        {
            ErrorKind.RateLimited => "rate_limit_error",
            ErrorKind.RequestTooLarge => "request_too_large",
            ErrorKind.NotFound => "not_found_error",
            ErrorKind.ServerError => "api_error",
            ErrorKind.Unavailable => "overloaded_error",
            _ => "invalid_request_error",
        };

        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", type);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
