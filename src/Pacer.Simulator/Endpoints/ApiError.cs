namespace Pacer.Simulator;

/// <summary>An error answer: status code, kind and a message for people.</summary>
internal readonly record struct ApiError(int StatusCode, ErrorKind Kind, string Message)
{
    public static ApiError Invalid(string message) => new(400, ErrorKind.InvalidRequest, message);

    public static ApiError NotFound(string message) => new(404, ErrorKind.NotFound, message);
}
