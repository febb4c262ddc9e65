using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary><c>POST /v1/messages</c>, shaped like Anthropic's messages.</summary>
internal sealed class MessagesEndpoint(SimulatorRuntime runtime) : SimulatedEndpoint<PromptRequest>(runtime)
{
    public const string Path = "/v1/messages";

    public override SimulatorRoute Route => SimulatorRoute.Messages;

    protected override ProviderDialect Dialect => AnthropicDialect.Instance;

    protected override Task<ReadResult<PromptRequest>> ReadAsync(HttpContext context, CancellationToken cancellationToken) =>
        PromptReader.ReadAsync(context.Request, anthropic: true, cancellationToken);

    protected override long CostOf(PromptRequest request) => request.Cost;

    protected override Task WriteAnswerAsync(HttpContext context, PromptRequest request, CancellationToken cancellationToken) =>
        JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            (Request: request, Id: Runtime.NextId()),
            static (writer, s) =>
            {
                writer.WriteStartObject();
                writer.WriteString("id", $"msg_sim{s.Id}");
                writer.WriteString("type", "message");
                writer.WriteString("role", "assistant");
                writer.WriteStartArray("content");
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", s.Request.ReplyText);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteString("model", s.Request.Model);
                writer.WriteString("stop_reason", s.Request.Truncated ? "max_tokens" : "end_turn");
                writer.WriteNull("stop_sequence");
                writer.WriteStartObject("usage");
                writer.WriteNumber("input_tokens", s.Request.PromptTokens);
                writer.WriteNumber("output_tokens", s.Request.CompletionTokens);
                writer.WriteEndObject();
                writer.WriteEndObject();
            },
            cancellationToken);
}
