namespace Pacer.Simulator;

/// <summary>What an endpoint read from a request: the request, or the error to answer instead.</summary>
internal readonly struct ReadResult<TRequest>
    where TRequest : class
{
    private ReadResult(TRequest? request, ApiError error)
    {
        Request = request;
        Error = error;
    }

    public TRequest? Request { get; }

    public ApiError Error { get; }

    public static ReadResult<TRequest> Ok(TRequest request) => new(request, default);

    public static ReadResult<TRequest> Fail(ApiError error) => new(null, error);
}
