namespace Pacer.Simulator;

/// <summary>What happens to an accepted request.</summary>
internal enum FaultKind
{
    /// <summary>Answered normally.</summary>
    None,

    /// <summary>Answered <c>500</c>.</summary>
    ServerError,

    /// <summary>Answered <c>503</c> with <c>Retry-After</c>.</summary>
    Unavailable,

    /// <summary>The connection is aborted without an answer.</summary>
    Drop,

    /// <summary>Answered normally, after <see cref="FaultOptions.SlowDelay"/> more.</summary>
    Slow,
}
