using System.Text;

namespace Pacer.Cli.Run;

/// <summary>
/// Sends one input line's request through its lane's client and turns what comes back (an answer,
/// a timeout, a cancellation, an error) into the line's result, which it hands to the ledger.
/// </summary>
internal sealed class RequestSender(LaneClients clients, RunLedger ledger, TimeProvider time)
{
    /// <summary>Sends <paramref name="line"/>'s request; its result goes to the ledger, and the ledger's count of open requests drops when it has.</summary>
    /// <param name="line">The line, with its request.</param>
    /// <param name="fingerprint">The line's fingerprint, for its result.</param>
    /// <param name="run">How the run stops: its tokens, its sink and its engine.</param>
    /// <param name="warm">Completes when the lane may take this request (see <see cref="LaneWarmUp"/>).</param>
    /// <param name="answered">Set once the response begins (or the request fails), when this is the lane's first request.</param>
    public async Task SendAsync(InputLine line, ulong fingerprint, RunStop run, Task warm, TaskCompletionSource? answered)
    {
        RequestSpec spec = line.Request!;
        long started = time.GetTimestamp();
        var trace = new RequestTrace();
        int? status = null;
        RunResult result;
        try
        {
            if (!warm.IsCompleted)
            {
                await warm.WaitAsync(run.Stop.Token).ConfigureAwait(false);
            }

            if (run.Stopped)
            {
                throw new OperationCanceledException(run.Stop.Token);
            }

            using HttpRequestMessage request = BuildRequest(spec, trace);
            using HttpResponseMessage response = await clients.For(spec.Lane).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, run.Abort.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            answered?.TrySetResult();

            // Read within the answer's bounds (BoundedContent): its size, and the attempt's deadline.
            byte[] body = BodyBoundsHandler.HasNoBody(request, response) ? [] : await response.Content.ReadAsByteArrayAsync(run.Abort.Token).ConfigureAwait(false);
            result = AnswerResults.Of(line, response, body, trace, Ms(started));
        }
        catch (OperationCanceledException e) when (run.Stopped && e.InnerException is not TimeoutException)
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
        try
        {
            ledger.Finish(result with { Fingerprint = fingerprint, QueuedMilliseconds = queued }, run);
        }
        finally
        {
            ledger.Close();
        }
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
