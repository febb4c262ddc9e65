using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Text.Json;
using Pacer.Server.Lanes;

namespace Pacer.Server.Api;

/// <summary>The lanes under <c>/api/lanes</c>: their limits and what each is doing now.</summary>
internal static class LaneEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        RouteGroupBuilder lanes = api.MapGroup("/lanes").WithTags("lanes");
        lanes.MapGet("/", (IRequestFormat format, PacerEngine engine) => Results.Ok(LaneView.All(format, engine)))
            .WithSummary("Each lane's limits and live snapshot.");
        lanes.MapGet("/{name}", (string name, IRequestFormat format, PacerEngine engine) =>
                format.Lanes.FirstOrDefault(l => l.Name == name) is { } lane
                    ? Results.Ok(LaneView.Of(lane, engine.GetLaneSnapshot(lane.Name), format.TooManyRequests(lane.Name)))
                    : Problems.NotFound($"There is no lane '{QueryValue.Shorten(name)}'; the lanes are {string.Join(", ", format.Lanes.Select(l => $"'{l.Name}'"))}."))
            .WithSummary("One lane's limits and live snapshot.");
        lanes.MapPatch("/{name}", PatchAsync)
            .WithSummary("Changes a lane's limits while it runs (concurrency, rps, rpm, burst, tpm; null removes one), without a fresh burst. Lasts until the server stops.");
    }

    private static async Task<IResult> PatchAsync(string name, HttpRequest request, IRequestFormat format, PacerEngine engine, LaneSettings settings, CancellationToken cancellationToken)
    {
        if (format.Lanes.FirstOrDefault(l => l.Name == name) is not { } lane)
        {
            return Problems.NotFound($"There is no lane '{QueryValue.Shorten(name)}'; the lanes are {string.Join(", ", format.Lanes.Select(l => $"'{l.Name}'"))}.");
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The body is not valid JSON: {e.Message}", "body");
        }

        using (body)
        {
            if (LaneChangeRequest.Read(body.RootElement, out string? error, out string? field) is not { } change)
            {
                return Problems.BadRequest(error!, field);
            }

            try
            {
                settings.TryChange(name, change);
            }
            catch (ArgumentException e)
            {
                return Problems.BadRequest($"Lane '{name}' cannot take these limits: {e.Message}", "body");
            }
        }

        return Results.Ok(LaneView.Of(lane, engine.GetLaneSnapshot(name), format.TooManyRequests(name)));
    }
}
