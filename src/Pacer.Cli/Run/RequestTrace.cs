namespace Pacer.Cli.Run;

/// <summary>
/// What the handlers under the Pacer handler saw of one request, for its result: how many attempts
/// it made, and the body of the last answer (read within its bounds).
/// </summary>
/// <remarks>Attempts of one request run one after another, so one writer at a time.</remarks>
internal sealed class RequestTrace
{
    public static readonly HttpRequestOptionsKey<RequestTrace> Key = new("pacer.trace");

    private int _attempts;
    private long _firstAttemptAt;
    private BoundedContent? _body;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The body of the last answer received; <see langword="null"/> before one.</summary>
    public BoundedContent? Body => Volatile.Read(ref _body);

    /// <summary>When the first attempt started (a <see cref="TimeProvider"/> timestamp); 0 before one.</summary>
    public long FirstAttemptAt => Interlocked.Read(ref _firstAttemptAt);

    public void AttemptStarted(long timestamp)
    {
        if (Interlocked.Increment(ref _attempts) == 1)
        {
            Interlocked.Exchange(ref _firstAttemptAt, timestamp);
        }
    }

    /// <summary>Whether the request's cost was estimated from its body, so that its answer's usage corrects it.</summary>
    public bool CostIsEstimate { get; set; }

    /// <summary>Told true when an attempt starts and false when its answer's headers are in (or it failed): <c>pacer serve</c> counts its jobs running and waiting to retry by it.</summary>
    public Action<bool>? Attempting { get; init; }

    public void Answered(BoundedContent body) => Volatile.Write(ref _body, body);
}
