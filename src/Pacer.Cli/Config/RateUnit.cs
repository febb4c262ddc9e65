namespace Pacer.Cli.Config;

/// <summary>What a rate counts and per what: the keys <c>rps</c>, <c>rpm</c> and <c>tpm</c>.</summary>
internal enum RateUnit
{
    /// <summary><c>rps</c>: requests per second.</summary>
    PerSecond,

    /// <summary><c>rpm</c>: requests per minute.</summary>
    PerMinute,

    /// <summary><c>tpm</c>: tokens per minute.</summary>
    TokensPerMinute,
}
