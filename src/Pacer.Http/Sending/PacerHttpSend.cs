namespace Pacer.Http;

/// <summary>
/// One request on its way through a lane: the job's work (one attempt per call), and the one
/// response not yet handed over or disposed. Each response is disposed exactly once unless the
/// caller takes it: at the start of the attempt that retries it, or when the caller leaves
/// without it (cancelled, or failed with an exception).
/// </summary>
/// <remarks>
/// Races handled: a cancelled job is reported at once while its attempt may still be sending. The
/// caller then abandons this object; an attempt that gets its response after that disposes it
/// itself (<see cref="TryKeep"/> refuses it), so no response is left undisposed.
/// </remarks>
internal sealed class PacerHttpSend(PacerHttpHandler handler, HttpRequestMessage request, HttpJobSettings settings, TimeProvider timeProvider, TimeSpan? attemptTimeout)
{
    private readonly Lock _lock = new();
    private readonly RequestRoute _route = new(request);

    /// <summary>The latest response received and not yet disposed or taken by the caller.</summary>
    private HttpResponseMessage? _kept;

    /// <summary>The caller has taken its answer or left; no further response is kept.</summary>
    private bool _closed;

    private bool _attempted;

    private readonly TaskCompletionSource<HttpResponseMessage> _handedOver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether an attempt of this request has started: false for a job the engine handed back under an idempotency key.</summary>
    public bool Attempted => Volatile.Read(ref _attempted);

    /// <summary>
    /// The job's work: sends the request once (following redirects within its origin) and judges
    /// the answer.
    /// </summary>
    public async ValueTask<HttpResponseMessage> RunAttemptAsync(JobContext context)
    {
        Volatile.Write(ref _attempted, true);
        long started = timeProvider.GetTimestamp();

        // The previous attempt's response is being retried: nobody will read it.
        DisposeKept();
        _route.Restore();

        (HttpResponseMessage response, OutcomeHints hints) = await SendFollowingRedirectsAsync(context).ConfigureAwait(false);
        if (!settings.IsRetryable(response, hints))
        {
            return await HandOverAsync(context, response, started).ConfigureAwait(false);
        }

        // Read the error body now, so that its connection serves others during the wait; only a bounded prefix of it.
        await RefusedBody.KeepPrefixAsync(response, context.CancellationToken).ConfigureAwait(false);
        TimeSpan? delay = RetryDelay.From(hints, timeProvider.GetUtcNow());
        var carried = new RetryableResponseException(response);
        throw new RetryableException(carried.Message, delay, hints.RateLimited, carried);
    }

    /// <summary>
    /// Sends the request, and again wherever a redirect within its origin points, up to
    /// <see cref="HttpJobSettings.MaxRedirects"/> times: every hop within this attempt, its slot
    /// and its timeout. Each answer's hints go to the lane. A redirect to another origin, or one
    /// too many, fails the attempt with an <see cref="HttpRequestException"/> carrying the status,
    /// which the default classifier holds permanent: no header of the request goes elsewhere.
    /// </summary>
    private async Task<(HttpResponseMessage Response, OutcomeHints Hints)> SendFollowingRedirectsAsync(JobContext context)
    {
        for (int redirects = 0; ; redirects++)
        {
            HttpResponseMessage response = await handler.SendInnerAsync(request, context.CancellationToken).ConfigureAwait(false);
            if (!TryKeep(response))
            {
                response.Dispose();
                throw new OperationCanceledException("The request was cancelled while its attempt was running.", context.CancellationToken);
            }

            OutcomeHints hints = RateLimitHeaders.Parse(response, timeProvider);
            if (!ReferenceEquals(hints, OutcomeHints.None))
            {
                context.ReportHints(hints);
            }

            Uri from = request.RequestUri!;
            if (settings.MaxRedirects == 0 || !RedirectRule.TryGetTarget(response, from, out Uri target))
            {
                return (response, hints);
            }

            if (!RedirectRule.IsSameOrigin(from, target))
            {
                throw RedirectRule.ToAnotherOrigin(response, from, target);
            }

            if (redirects == settings.MaxRedirects)
            {
                throw RedirectRule.TooMany(response, redirects, target);
            }

            // The redirect itself is nobody's answer; its connection goes back to the pool.
            DisposeKept();
            RedirectRule.Follow(request, response.StatusCode, target);
        }
    }

    /// <summary>The largest body of known length read within the job rather than streamed to the caller.</summary>
    private const long BufferedBodyLimit = 64 * 1024;

    /// <summary>Completes with the final response as soon as the caller may have it, before the job ends.</summary>
    public Task<HttpResponseMessage> HandedOver => _handedOver.Task;

    /// <summary>
    /// Gives the caller the final response once its body has arrived, as the service counts the
    /// request running until then. A body of known length up to <see cref="BufferedBodyLimit"/> is
    /// read here, within the attempt and its timeout. A longer or chunked body (a streamed answer)
    /// is handed on at once and the job keeps the lane's slot until the caller has read it to the
    /// end or disposed the response. The engine's timeout of the attempt stops at the hand-over,
    /// so that it can no longer retry a request whose answer the caller has; what is left of it
    /// goes with the body (<see cref="BodyDeadline"/>), whose reads then fail with a timeout and
    /// whose slot is freed. If the job is cancelled meanwhile, the slot is freed and the caller
    /// keeps the response.
    /// </summary>
    private async ValueTask<HttpResponseMessage> HandOverAsync(JobContext context, HttpResponseMessage response, long started)
    {
        long? length = response.Content.Headers.ContentLength;
        if (length == 0 || request.Method == HttpMethod.Head)
        {
            return response;
        }

        if (length <= BufferedBodyLimit)
        {
            // Read at the cost of the copy a caller makes anyway; the caller then reads it from memory.
            // Bounded by the limit as well as by the stated length, which a server may get wrong.
            await response.Content.LoadIntoBufferAsync(BufferedBodyLimit, context.CancellationToken).ConfigureAwait(false);
            if (settings.ReadsCost)
            {
                // The buffer itself when it is exactly the body's size, as a known length makes it.
                byte[] body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken).ConfigureAwait(false);
                if (settings.CostOf(response, body) is { } cost)
                {
                    context.ReportCost(cost);
                }
            }

            return response;
        }

        if (!context.TryStopTimeout())
        {
            // Timed out as the answer came: the job retries (this response is disposed then) or has failed.
            return response;
        }

        BodyCapture? capture = settings.ReadsCost
            ? new BodyCapture((int)BufferedBodyLimit, keepTail: response.Content.Headers.ContentType?.MediaType is "text/event-stream")
            : null;
        BodyDeadline? deadline = attemptTimeout is { } timeout
            ? BodyDeadline.Start(timeout, timeProvider.GetElapsedTime(started), timeProvider)
            : null;
        var content = new SlotHoldingContent(response.Content, capture, deadline);
        response.Content = content;
        _handedOver.TrySetResult(response);
        CancellationToken cancellationToken = context.CancellationToken;
        try
        {
            await content.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (content.CapturedBody is { } body && settings.CostOf(response, body) is { } cost)
            {
                context.ReportCost(cost);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller has the response; only the slot is let go.
        }

        return response;
    }

    /// <summary>
    /// When the job failed with a refused response (its attempts ran out, its retry-after was too
    /// long, or a classifier said stop), takes that response for the caller.
    /// </summary>
    public bool TryTakeRefused(RetryableException error, out HttpResponseMessage response)
    {
        response = null!;
        if (error.InnerException is not RetryableResponseException { Response: { } refused })
        {
            return false;
        }

        lock (_lock)
        {
            if (!ReferenceEquals(_kept, refused))
            {
                return false;
            }

            _kept = null;
            _closed = true;
        }

        response = refused;
        return true;
    }

    /// <summary>Hands the successful response over to the caller: it is no longer this object's to dispose.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _kept = null;
            _closed = true;
        }
    }

    /// <summary>The caller leaves without a response: disposes any kept one and refuses later ones.</summary>
    public void Abandon()
    {
        HttpResponseMessage? kept;
        lock (_lock)
        {
            kept = _kept;
            _kept = null;
            _closed = true;
        }

        kept?.Dispose();
    }

    private bool TryKeep(HttpResponseMessage response)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _kept = response;
            return true;
        }
    }

    private void DisposeKept()
    {
        HttpResponseMessage? kept;
        lock (_lock)
        {
            kept = _kept;
            _kept = null;
        }

        kept?.Dispose();
    }
}
