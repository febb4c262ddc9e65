using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary><c>POST /v1/chat/completions</c>, shaped like OpenAI's chat completions.</summary>
internal sealed class ChatCompletionsEndpoint(SimulatorRuntime runtime) : SimulatedEndpoint<PromptRequest>(runtime)
{
    public const string Path = "/v1/chat/completions";

    public override SimulatorRoute Route => SimulatorRoute.Chat;

    protected override ProviderDialect Dialect => OpenAIDialect.Instance;

    protected override Task<ReadResult<PromptRequest>> ReadAsync(HttpContext context, CancellationToken cancellationToken) =>
        PromptReader.ReadAsync(context.Request, anthropic: false, cancellationToken);

    protected override long CostOf(PromptRequest request) => request.Cost;

    protected override Task WriteAnswerAsync(HttpContext context, PromptRequest request, CancellationToken cancellationToken) =>
        JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            (Request: request, Id: Runtime.NextId(), Created: Runtime.Clock.UtcNow.ToUnixTimeSeconds()),
            static (writer, s) =>
            {
                writer.WriteStartObject();
                writer.WriteString("id", $"chatcmpl-sim{s.Id}");
                writer.WriteString("object", "chat.completion");
                writer.WriteNumber("created", s.Created);
                writer.WriteString("model", s.Request.Model);
                writer.WriteStartArray("choices");
                writer.WriteStartObject();
                writer.WriteNumber("index", 0);
                writer.WriteStartObject("message");
                writer.WriteString("role", "assistant");
                writer.WriteString("content", s.Request.ReplyText);
                writer.WriteEndObject();
                writer.WriteString("finish_reason", s.Request.Truncated ? "length" : "stop");
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteStartObject("usage");
                writer.WriteNumber("prompt_tokens", s.Request.PromptTokens);
                writer.WriteNumber("completion_tokens", s.Request.CompletionTokens);
                writer.WriteNumber("total_tokens", s.Request.PromptTokens + s.Request.CompletionTokens);
                writer.WriteEndObject();
                writer.WriteEndObject();
            },
            cancellationToken);
}
