using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Pacer.Server.Security;

/// <summary>With an API key set, every request but the health check must give <c>Authorization: Bearer KEY</c>.</summary>
internal sealed class ApiKeyCheck(RequestDelegate next, ServerOptions options)
{
    public const string HealthPath = "/health";

    private readonly byte[]? _key = options.ApiKey is { } key ? Encoding.UTF8.GetBytes(key) : null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (_key is null || context.Request.Path.Equals(HealthPath, StringComparison.Ordinal) || Holds(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            detail: "This server needs an API key: send it as 'Authorization: Bearer KEY'.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized.",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = "Authorization" }).ExecuteAsync(context).ConfigureAwait(false);
    }

    private bool Holds(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        const string Scheme = "Bearer ";
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _key);
    }
}
