namespace Pacer.Http;

/// <summary>
/// How one request travels through a <see cref="PacerHttpHandler"/>, in place of the handler's
/// <see cref="PacerHttpOptions"/>: its lane, priority, cost, attempt timeout and idempotency key.
/// Attach it with <see cref="PacerHttpRequestMessageExtensions.SetPacerOptions"/>. What is left
/// <see langword="null"/> comes from the handler's options, so one handler (and one
/// <see cref="HttpClient"/>) serves requests of any lane, priority, cost and timeout.
/// </summary>
/// <remarks>
/// The values become the request's <see cref="JobOptions"/> and are checked by the engine's own
/// rules when the request is submitted: an invalid one fails the request with the engine's
/// <see cref="ArgumentException"/> (for example
/// <c>JobOptions: Priority must be between -1000000 and 1000000, got 2000000.</c>), and nothing
/// is sent. Immutable once built, so one instance may serve many requests.
/// </remarks>
public sealed class PacerRequestOptions
{
    /// <summary>The lane the request travels in, in place of <see cref="PacerHttpOptions.Lane"/> and <see cref="PacerHttpOptions.LaneSelector"/>.</summary>
    /// <value>Default <see langword="null"/>: the handler's choice. Not empty when set.</value>
    public string? Lane { get; init; }

    /// <summary>Higher starts first within the lane, in place of <see cref="PacerHttpOptions.Priority"/>.</summary>
    /// <value>Default <see langword="null"/>: the handler's priority. Between -1,000,000 and 1,000,000 when set.</value>
    public int? Priority { get; init; }

    /// <summary>What the request spends of its lane's cost rates and cost quota, in place of <see cref="PacerHttpOptions.CostEstimator"/>.</summary>
    /// <value>Default <see langword="null"/>: the handler's estimate (1 without an estimator). At least 0 when set.</value>
    public long? Cost { get; init; }

    /// <summary>
    /// The longest one attempt may take, headers and body, in place of
    /// <see cref="PacerHttpOptions.AttemptTimeout"/>.
    /// </summary>
    /// <value>Default <see langword="null"/>: the handler's attempt timeout. Positive when set.</value>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>
    /// While a request with this key is in flight on the handler's engine (until its job ends: its
    /// body read or disposed), another request with the same key is not sent: it fails at once
    /// with an <see cref="InvalidOperationException"/> that names the key. The key is also the
    /// job's <see cref="JobOptions.IdempotencyKey"/>.
    /// </summary>
    /// <value>Default <see langword="null"/>: no key.</value>
    public string? IdempotencyKey { get; init; }
}
