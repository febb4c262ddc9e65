namespace Pacer;

/// <summary>
/// What a service said about its limits along with an answer: a retry-after, how much is left
/// until a reset, and its stated limit. Hints steer the lane: they win over the engine's guesses.
/// Parsing them from HTTP headers belongs to the HTTP face; here they are plain values.
/// </summary>
public sealed record OutcomeHints
{
    /// <summary>The answer was a rate-limit refusal (a 429, a 503 with retry-after, or a classifier's verdict).</summary>
    public bool RateLimited { get; init; }

    /// <summary>Wait this long before the next call: the whole lane pauses until then.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Requests left until <see cref="RequestsResetAt"/>.</summary>
    public long? RemainingRequests { get; init; }

    /// <summary>When the request allowance refills.</summary>
    public DateTimeOffset? RequestsResetAt { get; init; }

    /// <summary>Tokens (cost units) left until <see cref="TokensResetAt"/>.</summary>
    public long? RemainingTokens { get; init; }

    /// <summary>When the token allowance refills.</summary>
    public DateTimeOffset? TokensResetAt { get; init; }

    /// <summary>The service's stated request limit per <see cref="LimitWindow"/>; lowers the lane's ceiling.</summary>
    public long? RequestLimit { get; init; }

    /// <summary>The window <see cref="RequestLimit"/> refers to.</summary>
    /// <value>Default <see langword="null"/>: one minute.</value>
    public TimeSpan? LimitWindow { get; init; }

    /// <summary>
    /// The allowance refills steadily (a token bucket, as OpenAI's and Anthropic's do), so a reset
    /// time is when it is full again and one request is free again after (reset − now) ÷
    /// <see cref="RequestLimit"/>. False for fixed windows (as GitHub's): nothing is free before the reset.
    /// </summary>
    public bool RefillsContinuously { get; init; }

    /// <summary>No hints at all.</summary>
    public static OutcomeHints None { get; } = new();
}
