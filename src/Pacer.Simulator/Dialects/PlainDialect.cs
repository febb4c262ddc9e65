using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>
/// A plain REST API's spelling, after GitHub's: <c>x-ratelimit-limit</c>, <c>-remaining</c>,
/// <c>-used</c> and <c>-reset</c> (Unix seconds; the end of the fixed window these routes count in)
/// for the request limit; <c>retry-after</c> on 429;
/// errors as <c>{"message","status"}</c>.
/// </summary>
internal sealed class PlainDialect : ProviderDialect
{
    public static readonly PlainDialect Instance = new();

    public override void WriteLimitHeaders(HttpResponse response, LimitDecision decision, TimeSpan sinceDecision, DateTimeOffset now)
    {
        if (decision.Requests is not { } requests)
        {
            return;
        }

        var headers = response.Headers;
        headers["x-ratelimit-limit"] = Number(requests.Limit);
        headers["x-ratelimit-remaining"] = Number(requests.Remaining);
        headers["x-ratelimit-used"] = Number(requests.Used);
        headers["x-ratelimit-reset"] = Number(HeaderValues.NearestUnixSeconds(now - sinceDecision + requests.ResetAfter));
    }

    protected override void WriteErrorBody(Utf8JsonWriter writer, ApiError error, LimitReason reason)
    {
        writer.WriteStartObject();
        writer.WriteString("message", error.Message);
        writer.WriteNumber("status", error.StatusCode);
        writer.WriteEndObject();
    }
}
