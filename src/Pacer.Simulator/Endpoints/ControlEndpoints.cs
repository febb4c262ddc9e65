using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pacer.Simulator;

/// <summary>
/// The simulator's own routes under <c>/_sim</c>, outside every limit, fault and statistic:
/// <c>GET /_sim/stats</c>, <c>POST /_sim/reset</c> (<c>?limits=true</c> also empties the limit
/// windows), <c>GET /_sim/limits</c> and <c>POST /_sim/limits</c> to replace the hidden limits.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, SimulatorRuntime runtime)
    {
        routes.MapGet("/_sim/stats", context => JsonResponse.WriteAsync(
            context.Response, StatusCodes.Status200OK, runtime.Stats.Snapshot(), StatsJson.Write, context.RequestAborted));

        routes.MapPost("/_sim/reset", context =>
        {
            runtime.Stats.Reset();
            if (string.Equals(context.Request.Query["limits"], "true", StringComparison.OrdinalIgnoreCase))
            {
                runtime.Limiter.ClearWindows();
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });

        routes.MapGet("/_sim/limits", context => WriteLimitsAsync(context, runtime.Limiter.Limits));

        routes.MapPost("/_sim/limits", async context =>
        {
            SimulatorLimits? limits;
            try
            {
                limits = await JsonSerializer.DeserializeAsync<SimulatorLimits>(context.Request.Body, LimitsJson.Options, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                await WriteErrorsAsync(context, [e.Message]).ConfigureAwait(false);
                return;
            }

            if (limits is null)
            {
                await WriteErrorsAsync(context, ["The body must be a JSON object."]).ConfigureAwait(false);
                return;
            }

            try
            {
                runtime.Limiter.Update(limits);
            }
            catch (ArgumentException e)
            {
                await WriteErrorsAsync(context, e.Message.Split(Environment.NewLine)).ConfigureAwait(false);
                return;
            }

            await WriteLimitsAsync(context, runtime.Limiter.Limits).ConfigureAwait(false);
        });
    }

    private static Task WriteLimitsAsync(HttpContext context, SimulatorLimits limits) =>
        JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            limits,
            static (writer, l) => JsonSerializer.Serialize(writer, l, LimitsJson.Options),
            context.RequestAborted);

    private static Task WriteErrorsAsync(HttpContext context, IReadOnlyList<string> errors) =>
        JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status400BadRequest,
            errors,
            static (writer, e) =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("errors");
                foreach (string error in e)
                {
                    writer.WriteStringValue(error);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            },
            context.RequestAborted);
}
