using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>Finds the API key of a request: <c>x-api-key</c>, else <c>Authorization: Bearer KEY</c>.</summary>
internal static class ApiKeys
{
    private const string BearerPrefix = "Bearer ";

    public static string From(HttpRequest request)
    {
        string? key = request.Headers["x-api-key"];
        if (!string.IsNullOrWhiteSpace(key))
        {
            return key.Trim();
        }

        string? authorization = request.Headers.Authorization;
        if (authorization is not null
            && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && authorization.Length > BearerPrefix.Length)
        {
            string bearer = authorization[BearerPrefix.Length..].Trim();
            if (bearer.Length > 0)
            {
                return bearer;
            }
        }

        return LimitConstants.AnonymousKey;
    }
}
