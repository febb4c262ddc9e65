using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary><c>POST /echo</c>: answers with the request body and content type.</summary>
internal sealed class EchoEndpoint(SimulatorRuntime runtime) : SimulatedEndpoint<EchoRequest>(runtime)
{
    public const string Path = "/echo";

    public override SimulatorRoute Route => SimulatorRoute.Echo;

    protected override ProviderDialect Dialect => PlainDialect.Instance;

    protected override async Task<ReadResult<EchoRequest>> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        return ReadResult<EchoRequest>.Ok(new EchoRequest(body.ToArray(), context.Request.ContentType));
    }

    protected override async Task WriteAnswerAsync(HttpContext context, EchoRequest request, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = request.ContentType ?? "application/octet-stream";
        response.ContentLength = request.Body.Length;
        await response.Body.WriteAsync(request.Body, cancellationToken).ConfigureAwait(false);
    }
}
