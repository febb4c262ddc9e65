namespace Pacer.Http;

/// <summary>
/// The rest of an attempt's timeout, carried past the hand-over into the body's reads: when it
/// passes before the body has arrived, reads fail with a timeout and the body is let go, so that
/// a body that trickles, or stops short of its stated length on a connection left open, cannot
/// keep the caller, or the lane's slot, waiting for ever. On the engine's <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Not disposable: <see cref="Stop"/> takes the source's timer off its queue, after which nothing
/// roots the source, and reads that come after the body has ended may still link to its token,
/// which a disposed source would refuse.
/// </remarks>
#pragma warning disable CA1001 // See the remarks.
internal sealed class BodyDeadline
#pragma warning restore CA1001
{
    private readonly CancellationTokenSource _source;
    private readonly TimeSpan _timeout;

    private BodyDeadline(TimeSpan left, TimeSpan timeout, TimeProvider timeProvider)
    {
        _timeout = timeout;
        _source = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, timeProvider);
        Token = _source.Token;
    }

    /// <summary>Cancelled when the deadline passes.</summary>
    public CancellationToken Token { get; }

    /// <summary>Starts the rest of an attempt's <paramref name="timeout"/>, of which <paramref name="elapsed"/> is spent.</summary>
    public static BodyDeadline Start(TimeSpan timeout, TimeSpan elapsed, TimeProvider timeProvider) =>
        new(timeout - elapsed, timeout, timeProvider);

    /// <summary>The body has arrived or been let go: the deadline no longer matters, and its timer is stopped.</summary>
    public void Stop()
    {
        if (!Token.IsCancellationRequested)
        {
            _source.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// A token that is cancelled by the caller's <paramref name="cancellationToken"/> or by the
    /// deadline, and the source to dispose after the read when one had to be made.
    /// </summary>
    public CancellationTokenSource? Link(CancellationToken cancellationToken, out CancellationToken token)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            token = Token;
            return null;
        }

        CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Token);
        token = linked.Token;
        return linked;
    }

    /// <summary>
    /// Whether a read ended because the deadline passed, rather than for the caller's own reason:
    /// read before the body ended (every way it ends stops the deadline), it fails, or finds an end
    /// that is only the body being let go, and reports the timeout.
    /// </summary>
    public bool Explains(CancellationToken callerToken) => Token.IsCancellationRequested && !callerToken.IsCancellationRequested;

    /// <summary>What a read that the deadline ended throws: as <see cref="HttpClient.Timeout"/> does, a cancellation whose inner exception is a <see cref="TimeoutException"/>.</summary>
    public TaskCanceledException Error(Exception? cause)
    {
        string message = $"The response body did not arrive within the attempt timeout of {_timeout}.";
        return new TaskCanceledException(message, new TimeoutException(message, cause), Token);
    }
}
