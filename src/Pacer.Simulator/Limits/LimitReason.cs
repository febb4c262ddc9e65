namespace Pacer.Simulator;

/// <summary>Which hidden limit turned a request away.</summary>
internal enum LimitReason
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary><see cref="LimitOptions.MaxConcurrency"/> requests are already being processed.</summary>
    Concurrency,

    /// <summary><see cref="LimitOptions.RequestsPerSecond"/> would be exceeded.</summary>
    RequestsPerSecond,

    /// <summary><see cref="LimitOptions.RequestsPerMinute"/> would be exceeded.</summary>
    RequestsPerMinute,

    /// <summary><see cref="LimitOptions.TokensPerMinute"/> would be exceeded.</summary>
    TokensPerMinute,

    /// <summary>The request alone costs more than <see cref="LimitOptions.TokensPerMinute"/>; waiting never helps.</summary>
    RequestTooLarge,
}
