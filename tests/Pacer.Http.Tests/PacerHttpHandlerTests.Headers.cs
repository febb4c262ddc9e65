using System.Net;

namespace Pacer.Http.Tests;

/// <summary>Rate-limit headers that do not parse or do not fit: the answer still counts for what it is.</summary>
public sealed partial class PacerHttpHandlerTests
{
    [Fact]
    public async Task ASuccess_WithRateLimitFieldsTooLongForATimeSpan_IsASuccess()
    {
        var stub = new StubHandler((_, _) => Responses.Make(
            "RateLimit-Policy: \"p\";q=1;w=999999999999999",
            "RateLimit: \"p\";r=0;t=999999999999999",
            "RateLimit-Limit: 100, 100;w=999999999999999"));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();
        await _finished.Reached(1).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        LaneSnapshot lane = _engine.GetLaneSnapshot(PacerEngine.DefaultLaneName);
        Assert.Equal((1L, 0L), (lane.Succeeded, lane.Failed));
    }

    [Fact]
    public async Task ARetryAfterTooLongToRead_EndsTheRetries_WithTheRefusal()
    {
        var stub = new StubHandler((_, _) => Responses.Make(HttpStatusCode.TooManyRequests, "retry-after: " + new string('9', 40)));
        using HttpClient client = Client(stub);

        using HttpResponseMessage response = await client.GetAsync(s_uri).DefaultTimeout();

        Assert.Equal((HttpStatusCode.TooManyRequests, 1), (response.StatusCode, stub.Attempts));
    }
}
