namespace Pacer.Simulator;

/// <summary>Kinds of error answer; each dialect names them its own way.</summary>
internal enum ErrorKind
{
    /// <summary>400: the request is malformed.</summary>
    InvalidRequest,

    /// <summary>404: no such item.</summary>
    NotFound,

    /// <summary>413: the request alone is over a limit.</summary>
    RequestTooLarge,

    /// <summary>429: a hidden limit is reached.</summary>
    RateLimited,

    /// <summary>500: an injected server error.</summary>
    ServerError,

    /// <summary>503: an injected outage, with <c>Retry-After</c>.</summary>
    Unavailable,
}
