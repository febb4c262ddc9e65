namespace Pacer.Http;

/// <summary>
/// Sends each request of an <see cref="HttpClient"/> through a Pacer lane, so that requests start
/// only as fast as the lane's limits allow. Each response's rate-limit headers are passed to the
/// lane as hints (see <see cref="RateLimitHeaders"/>). A response with a retryable status is
/// retried by the engine after the service's retry-after (or the policy's backoff), holding no
/// slot while it waits; when the attempts run out, the caller gets the last response, not an
/// exception. Other responses return once their body has arrived (a body of known length up to
/// 64 KiB) or at once with the lane's slot kept until the caller has read the body or disposed the
/// response (a longer or chunked body): the service counts the request running until then.
/// </summary>
/// <remarks>
/// The same <see cref="HttpRequestMessage"/> is sent again on each attempt; content that cannot be
/// re-read (such as a non-seekable <see cref="StreamContent"/>) is buffered in memory first.
/// Responses of attempts that are retried are disposed. Redirects are followed by this handler,
/// within the request's origin only (see <see cref="PacerHttpOptions.MaxRedirects"/>); to see
/// them, it turns off <c>AllowAutoRedirect</c> on its primary handler (a
/// <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/>) before its first request.
/// Register with <c>services.AddHttpClient(name).AddPacerHandler(lane)</c>, or build one around an
/// inner handler.
/// </remarks>
public sealed class PacerHttpHandler : DelegatingHandler
{
    private readonly PacerEngine _engine;
    private readonly HttpJobSettings _settings;
    private readonly Lock _primaryLock = new();

    /// <summary>Whether the primary handler has been seen not to follow redirects (see <see cref="PrimaryHandlerRedirects"/>).</summary>
    private volatile bool _primaryChecked;

    /// <summary>Creates the handler; set <see cref="DelegatingHandler.InnerHandler"/> before use, or let <see cref="IHttpClientFactory"/> do it.</summary>
    /// <param name="engine">The engine whose lanes requests travel in. The handler does not own it.</param>
    /// <param name="options">Lane, priority, timeout, retries; validated and copied. Default: the default lane.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names each one.</exception>
    public PacerHttpHandler(PacerEngine engine, PacerHttpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _settings = new HttpJobSettings(options ?? new PacerHttpOptions());
    }

    /// <summary>Creates the handler around <paramref name="innerHandler"/>, which sends each attempt.</summary>
    /// <param name="engine">The engine whose lanes requests travel in. The handler does not own it.</param>
    /// <param name="options">Lane, priority, timeout, retries; validated and copied. Default: the default lane.</param>
    /// <param name="innerHandler">Sends each attempt, for example a <see cref="SocketsHttpHandler"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> or <paramref name="innerHandler"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names each one.</exception>
    /// <exception cref="InvalidOperationException">The primary handler follows redirects and has sent requests already, so they can no longer be turned off.</exception>
    public PacerHttpHandler(PacerEngine engine, PacerHttpOptions? options, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _settings = new HttpJobSettings(options ?? new PacerHttpOptions());

        // Here already, so that a primary handler that can no longer be changed fails at once.
        PrimaryHandlerRedirects.TurnOff(innerHandler);
    }

    /// <summary>Sends the request as a Pacer job and returns the response of its last attempt.</summary>
    /// <param name="request">The request; sent again as is on each attempt.</param>
    /// <param name="cancellationToken">Cancels the request, waiting or running.</param>
    /// <returns>The response: a non-retryable one at once, or the last one when the attempts ran out.</returns>
    /// <exception cref="ArgumentException">
    /// The request's lane does not exist in the engine; its <see cref="PacerRequestOptions"/> break
    /// a rule of <see cref="JobOptions"/> (the engine's message names each); or a header name of the request or its
    /// content is not a token, or a value holds CR, LF or NUL (the message names the header, not
    /// its value). Such a request is refused before it is queued.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The engine is draining or disposed; the request's idempotency key belongs to a request still
    /// in flight; or the primary handler follows redirects and has sent requests already.
    /// </exception>
    /// <exception cref="HttpRequestException">
    /// The last attempt failed without a response; or the service redirected to another origin, or
    /// more than <see cref="PacerHttpOptions.MaxRedirects"/> times (<see cref="HttpRequestException.StatusCode"/> is the redirect's).
    /// </exception>
    /// <exception cref="TaskCanceledException">The request was cancelled, or its last attempt timed out (inner <see cref="TimeoutException"/>).</exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestHeaderCheck.ThrowIfUnsafe(request);
        EnsurePrimaryDoesNotRedirect();
        JobOptions jobOptions = _settings.JobOptionsFor(request);
        string? key = jobOptions.IdempotencyKey;
        if (key is not null)
        {
            InFlightKeys.Claim(_engine, key);
        }

        var send = new PacerHttpSend(this, request, _settings, _engine.TimeProvider, jobOptions.Timeout);
        HttpResponseMessage response;
        try
        {
            if (_settings.MaySendAgain)
            {
                await RequestContentBuffer.EnsureReplayableAsync(request, cancellationToken).ConfigureAwait(false);
            }

            Task<HttpResponseMessage> job = _engine.RunAsync(send.RunAttemptAsync, jobOptions, cancellationToken);
            if (key is not null)
            {
                // Held until the job ends, not the call: a streamed body keeps the job, and the key, busy.
                string claimed = key;
                key = null;
                _ = job.ContinueWith(_ => InFlightKeys.Release(_engine, claimed), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            if (await Task.WhenAny(send.HandedOver, job).ConfigureAwait(false) == send.HandedOver)
            {
                // The job goes on holding the lane's slot until the body is read; it cannot fail
                // the caller any more, so its end is only observed.
                _ = job.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                send.Release();
                return send.HandedOver.Result;
            }

            response = await job.ConfigureAwait(false);
            if (!send.Attempted)
            {
                // The engine handed back a job submitted elsewhere under this key: its response is not this caller's.
                throw new InvalidOperationException(
                    $"Idempotency key '{jobOptions.IdempotencyKey}' belongs to a job submitted elsewhere on this engine; this request was not sent.");
            }
        }
        catch (RetryableException refusal) when (send.TryTakeRefused(refusal, out HttpResponseMessage refused))
        {
            return refused;
        }
        catch (TimeoutException timeout)
        {
            send.Abandon();
            throw new TaskCanceledException($"The request timed out: {timeout.Message}", timeout);
        }
        catch
        {
            send.Abandon();
            throw;
        }
        finally
        {
            // Still set only when no job was submitted: nothing else will free it.
            if (key is not null)
            {
                InFlightKeys.Release(_engine, key);
            }
        }

        send.Release();
        return response;
    }

    /// <summary>Not supported: requests are paced asynchronously. Use <see cref="HttpClient.SendAsync(HttpRequestMessage)"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("PacerHttpHandler sends asynchronously only; use HttpClient.SendAsync.");

    /// <summary>
    /// Before the first request: the chain's primary handler, set by now (a factory sets it after
    /// building this handler), must leave redirects to this one.
    /// </summary>
    private void EnsurePrimaryDoesNotRedirect()
    {
        if (_primaryChecked)
        {
            return;
        }

        lock (_primaryLock)
        {
            if (!_primaryChecked)
            {
                PrimaryHandlerRedirects.TurnOff(InnerHandler);
                _primaryChecked = true;
            }
        }
    }

    /// <summary>Sends one attempt to the inner handler.</summary>
    internal Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
