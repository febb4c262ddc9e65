using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pacer.Server.Api;

namespace Pacer.Server.Graph;

/// <summary>
/// <c>POST /graphql</c>: GraphQL over HTTP (a JSON body with <c>query</c>, <c>variables</c> and
/// <c>operationName</c>; answered <c>application/json</c>), and subscriptions over server-sent
/// events as the GraphQL-over-SSE protocol's distinct connections mode has them: a subscription
/// sent with <c>Accept: text/event-stream</c> is answered with an <c>event: next</c> per result
/// and <c>event: complete</c> at the end.
/// </summary>
internal static class GraphQLEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/graphql", HandleAsync)
            .WithTags("graphql")
            .WithSummary("GraphQL: queries run(id), runs, lanes; mutations submitRun, cancelRun, cancelJob; subscription runMetrics(id) over server-sent events.");

    private static async Task HandleAsync(HttpContext context, IDocumentExecuter executer, ISchema schema, IGraphQLTextSerializer serializer)
    {
        GraphQLRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<GraphQLRequest>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await Problems.BadRequest($"The body is not a GraphQL request: {e.Message}", "body").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (request?.Query is not { Length: > 0 } query)
        {
            await Problems.BadRequest("The body must be a JSON object with a \"query\".", "query").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        ExecutionResult result = await executer.ExecuteAsync(options =>
        {
            options.Schema = schema;
            options.Query = query;
            options.OperationName = request.OperationName;
            options.Variables = request.Variables is { ValueKind: JsonValueKind.Object } variables ? serializer.Deserialize<Inputs>(variables.GetRawText()) : null;
            options.RequestServices = context.RequestServices;
            options.CancellationToken = context.RequestAborted;
        }).ConfigureAwait(false);

        if (result.Streams is { Count: > 0 } streams)
        {
            await StreamAsync(context, streams.Values.First(), serializer).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(serializer.Serialize(result), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, IObservable<ExecutionResult> stream, IGraphQLTextSerializer serializer)
    {
        if (!context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.Of(StatusCodes.Status406NotAcceptable, "Not acceptable.", "A subscription is answered as server-sent events: send it with 'Accept: text/event-stream'.", "Accept").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var results = Channel.CreateBounded<ExecutionResult>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        using IDisposable subscription = stream.Subscribe(new ChannelObserver(results.Writer));
        try
        {
            await foreach (ExecutionResult result in results.Reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await context.Response.WriteAsync($"event: next\ndata: {serializer.Serialize(result)}\n\n", context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }

            await context.Response.WriteAsync("event: complete\ndata:\n\n", context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    /// <summary>A GraphQL request's body.</summary>
    private sealed record GraphQLRequest(
        [property: System.Text.Json.Serialization.JsonPropertyName("query")] string? Query,
        [property: System.Text.Json.Serialization.JsonPropertyName("operationName")] string? OperationName,
        [property: System.Text.Json.Serialization.JsonPropertyName("variables")] JsonElement? Variables);

    /// <summary>Hands a subscription's results to the response; an error becomes one last result that carries it.</summary>
    private sealed class ChannelObserver(ChannelWriter<ExecutionResult> writer) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => writer.TryWrite(value);

        public void OnError(Exception error)
        {
            writer.TryWrite(new ExecutionResult { Errors = [error as ExecutionError ?? new ExecutionError(error.Message)] });
            writer.TryComplete();
        }

        public void OnCompleted() => writer.TryComplete();
    }
}
