using System.Text;

namespace Pacer.Cli.Run;

/// <summary>
/// Sends one input line's request through its lane's client and turns what comes back (an answer,
/// a timeout, a cancellation, an error) into the line's result: for <c>pacer run</c> and for the
/// runs of <c>pacer serve</c> alike.
/// </summary>
internal sealed class RequestSender(LaneClients clients, TimeProvider time)
{
    /// <summary>Sends <paramref name="line"/>'s request and returns its result; never throws.</summary>
    /// <param name="line">The line, with its request.</param>
    /// <param name="stop">Once cancelled, the request is not sent; one that waits is cancelled, and its result says so.</param>
    /// <param name="abort">Cancels the request in flight too.</param>
    /// <param name="warm">Completes when the lane may take this request (see <see cref="LaneWarmUp"/>).</param>
    /// <param name="answered">Set once the response begins (or the request fails), when this is the lane's first request.</param>
    /// <param name="attempting">Told when each attempt starts (true) and ends (false).</param>
    public async Task<RunResult> SendAsync(
        InputLine line, CancellationToken stop, CancellationToken abort, Task? warm = null, TaskCompletionSource? answered = null, Action<bool>? attempting = null)
    {
        RequestSpec spec = line.Request!;
        long started = time.GetTimestamp();
        var trace = new RequestTrace { Attempting = attempting };
        int? status = null;
        RunResult result;
        try
        {
            if (warm is { IsCompleted: false })
            {
                await warm.WaitAsync(stop).ConfigureAwait(false);
            }

            stop.ThrowIfCancellationRequested();

            using HttpRequestMessage request = BuildRequest(spec, trace);
            using HttpResponseMessage response = await clients.For(spec.Lane).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, abort).ConfigureAwait(false);
            status = (int)response.StatusCode;
            answered?.TrySetResult();

            // Read within the answer's bounds (BoundedContent): its size, and the attempt's deadline.
            byte[] body = BodyBoundsHandler.HasNoBody(request, response) ? [] : await response.Content.ReadAsByteArrayAsync(abort).ConfigureAwait(false);
            result = AnswerResults.Of(line, response, body, trace, Ms(started));
        }
        // Both tokens: `stop` is often linked to `abort`, and a request cancelled by `abort` may get here before the link has cancelled `stop`.
        catch (OperationCanceledException e) when ((stop.IsCancellationRequested || abort.IsCancellationRequested) && e.InnerException is not TimeoutException)
        {
            result = RunResult.ForCancelled(line, spec.Lane) with { Attempts = trace.Attempts, Milliseconds = Ms(started) };
        }
#pragma warning disable CA1031 // Any failure of one request becomes its result; the run goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            string message = AnswerResults.TimeoutIn(e) is not null
                ? AnswerResults.TimedOut(clients.TimeoutOf(spec.Lane), trace, status)
                : e.Message;
            result = new RunResult(line.Index, line.IdJson, false, status, trace.Attempts, spec.Lane, Ms(started), null, $"line {line.LineNumber}: {message}", line.MetadataJson) { RequestJson = line.RequestJson };
        }

        answered?.TrySetResult();
        long? queued = trace.FirstAttemptAt is > 0 and var first ? (long)time.GetElapsedTime(started, first).TotalMilliseconds : null;
        return result with { QueuedMilliseconds = queued };
    }

    private long Ms(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    private static HttpRequestMessage BuildRequest(RequestSpec spec, RequestTrace trace)
    {
        var request = new HttpRequestMessage(spec.Method, spec.Url);
        if (spec.Body is not null)
        {
            request.Content = new StringContent(spec.Body, Encoding.UTF8, spec.BodyIsJson ? "application/json" : "text/plain");
        }

        foreach ((string name, string value) in spec.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        LaneClients.Prepare(request, spec, trace);
        return request;
    }
}
