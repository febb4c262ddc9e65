using Microsoft.AspNetCore.Http;

namespace Pacer.Simulator;

/// <summary>
/// The life of a request to a simulated route, the same for every route: count its arrival, read
/// it, judge it against the hidden limits (429 at once if over), draw a fault and a latency, wait,
/// then answer, fail or drop; count how it ended. Subclasses only read requests and write answers.
/// </summary>
internal abstract class SimulatedEndpoint<TRequest>(SimulatorRuntime runtime)
    where TRequest : class
{
    public abstract SimulatorRoute Route { get; }

    protected abstract ProviderDialect Dialect { get; }

    protected SimulatorRuntime Runtime => runtime;

    public async Task HandleAsync(HttpContext context)
    {
        runtime.Stats.Begin(Route);
        var outcome = VisitOutcome.Answered;
        long charged = 0;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, runtime.Stopping);
        var cancellationToken = linked.Token;
        try
        {
            var read = await ReadAsync(context, cancellationToken).ConfigureAwait(false);
            if (read.Request is not { } request)
            {
                await Dialect.WriteErrorAsync(context, read.Error, cancellationToken).ConfigureAwait(false);
                return;
            }

            var decision = runtime.Limiter.AttemptAcquire(ApiKeys.From(context.Request), Route, CostOf(request));
            if (!decision.IsAccepted)
            {
                await Dialect.WriteRejectionAsync(context, decision, runtime.Clock.UtcNow, cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                charged = decision.Cost;
                outcome = await AnswerAcceptedAsync(context, request, decision, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                decision.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping with the client still there: abort, or Kestrel would send an empty 200.
            if (!context.RequestAborted.IsCancellationRequested)
            {
                context.Abort();
            }

            outcome = VisitOutcome.Cancelled;
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client closed the connection while the answer was being written.
            outcome = VisitOutcome.Cancelled;
        }
        finally
        {
            runtime.Stats.End(Route, outcome, context.Response.StatusCode, charged);
        }
    }

    /// <summary>Reads and checks the request; a failure is answered without touching the limits.</summary>
    protected abstract Task<ReadResult<TRequest>> ReadAsync(HttpContext context, CancellationToken cancellationToken);

    /// <summary>The tokens the request costs against <see cref="LimitOptions.TokensPerMinute"/>.</summary>
    protected virtual long CostOf(TRequest request) => 0;

    /// <summary>Writes the successful answer; the rate-limit headers are already set.</summary>
    protected abstract Task WriteAnswerAsync(HttpContext context, TRequest request, CancellationToken cancellationToken);

    private async Task<VisitOutcome> AnswerAcceptedAsync(HttpContext context, TRequest request, LimitDecision decision, CancellationToken cancellationToken)
    {
        var fault = runtime.Faults.Draw();
        var delay = runtime.Latency.Next();
        if (fault == FaultKind.Slow)
        {
            delay += runtime.Faults.Options.SlowDelay;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, runtime.Clock.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        switch (fault)
        {
            case FaultKind.Drop:
                context.Abort();
                return VisitOutcome.Dropped;
            case FaultKind.ServerError:
                await Dialect.WriteErrorAsync(context, new ApiError(500, ErrorKind.ServerError, "The server had an error while processing your request."), cancellationToken).ConfigureAwait(false);
                return VisitOutcome.Answered;
            case FaultKind.Unavailable:
                Dialect.WriteRetryAfter(context.Response, runtime.Faults.Options.UnavailableRetryAfter);
                await Dialect.WriteErrorAsync(context, new ApiError(503, ErrorKind.Unavailable, "The service is temporarily overloaded; retry later."), cancellationToken).ConfigureAwait(false);
                return VisitOutcome.Answered;
            default:
                Dialect.WriteLimitHeaders(context.Response, decision, runtime.Clock.Now - decision.DecidedAt, runtime.Clock.UtcNow);
                await WriteAnswerAsync(context, request, cancellationToken).ConfigureAwait(false);
                return VisitOutcome.Answered;
        }
    }
}
