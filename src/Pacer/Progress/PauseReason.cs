namespace Pacer;

/// <summary>What a service said that paused a lane (see <see cref="LanePause"/>).</summary>
public enum PauseReason
{
    /// <summary>An answer carried a retry-after (<see cref="OutcomeHints.RetryAfter"/>).</summary>
    RetryAfter,

    /// <summary>
    /// An answer said no requests remain until a reset (<see cref="OutcomeHints.RemainingRequests"/>
    /// of zero with <see cref="OutcomeHints.RequestsResetAt"/>).
    /// </summary>
    NoRequestsRemaining,

    /// <summary>
    /// An answer said no tokens remain until a reset (<see cref="OutcomeHints.RemainingTokens"/>
    /// of zero with <see cref="OutcomeHints.TokensResetAt"/>).
    /// </summary>
    NoTokensRemaining,
}
