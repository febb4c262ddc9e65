namespace Pacer.Simulator;

/// <summary>
/// The answer of the hidden limits to one request. An accepted request holds a concurrency slot
/// until <see cref="Release"/>; a rejected one says which limit and how long to wait.
/// </summary>
internal sealed class LimitDecision
{
    private LimitPartition? _heldBy;

    public LimitDecision(LimitOptions limits, TimeSpan decidedAt, LimitReason reason, TimeSpan retryAfter, long cost, WindowState? requests, WindowState? requestsPerMinute, WindowState? tokens, LimitPartition? heldBy)
    {
        Limits = limits;
        DecidedAt = decidedAt;
        Reason = reason;
        RetryAfter = retryAfter;
        Cost = cost;
        Requests = requests;
        RequestsPerMinute = requestsPerMinute;
        Tokens = tokens;
        _heldBy = heldBy;
    }

    /// <summary>The limits the request was judged by.</summary>
    public LimitOptions Limits { get; }

    /// <summary>When the decision was made, on the <see cref="SimulatorClock"/>.</summary>
    public TimeSpan DecidedAt { get; }

    public bool IsAccepted => Reason == LimitReason.None;

    /// <summary>Which limit turned the request away; <see cref="LimitReason.None"/> when accepted.</summary>
    public LimitReason Reason { get; }

    /// <summary>
    /// How long until the request would be accepted if nothing else arrived meanwhile; zero when
    /// accepted. For <see cref="LimitReason.Concurrency"/> a fixed suggestion.
    /// </summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>The tokens the request costs (charged only when accepted).</summary>
    public long Cost { get; }

    /// <summary>The request limit a plain API's headers report (per minute, else per second), after this request.</summary>
    public WindowState? Requests { get; }

    /// <summary>
    /// The request limit stated per minute, as OpenAI and Anthropic state theirs: the per-minute
    /// limit, else 60 × the per-second one, counted over the last minute, after this request.
    /// </summary>
    public WindowState? RequestsPerMinute { get; }

    /// <summary>The token limit the headers report, after this request.</summary>
    public WindowState? Tokens { get; }

    /// <summary>Frees the concurrency slot of an accepted request; later calls do nothing.</summary>
    public void Release() => Interlocked.Exchange(ref _heldBy, null)?.Release();
}
