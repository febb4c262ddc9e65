using Microsoft.AspNetCore.Http;

namespace Pacer.Server.Api;

/// <summary>Every error the API answers, as <c>application/problem+json</c> that names what is at fault.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail, string? field = null, IReadOnlyList<string>? errors = null) =>
        Of(StatusCodes.Status400BadRequest, "The request is not valid.", detail, field, errors);

    public static IResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found.", detail);

    public static IResult TooLarge(string detail, long limit) =>
        Of(StatusCodes.Status413PayloadTooLarge, "The request is too large.", detail, extra: ("limit", limit));

    public static IResult UnsupportedMediaType(string detail) => Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", detail);

    public static IResult Of(int status, string title, string detail, string? field = null, IReadOnlyList<string>? errors = null, (string Name, object Value)? extra = null)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (field is not null)
        {
            extensions["field"] = field;
        }

        if (errors is not null)
        {
            extensions["errors"] = errors;
        }

        if (extra is { } pair)
        {
            extensions[pair.Name] = pair.Value;
        }

        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }
}
