namespace Pacer.Cli.Run;

/// <summary>
/// The read loop of <c>pacer run</c>: takes each line in turn, passes over blank lines and those
/// <c>--resume</c> found answered, waits for room in the window, reads the line, and hands its
/// request to be sent; a line that cannot be sent (bad, or read after the run stopped) gets its
/// result from the ledger at once.
/// </summary>
internal sealed class LineReadLoop(RequestParser parser, ResultSink sink, RunLedger ledger, IReadOnlyDictionary<long, ResumedResult> done, bool ordered)
{
    /// <summary>Reads <paramref name="source"/> until it ends, <paramref name="run"/> aborts, or it cannot be read on.</summary>
    /// <param name="source">The lines.</param>
    /// <param name="run">The run's stop and abort.</param>
    /// <param name="send">Sends one line's request: the line, and its fingerprint.</param>
    public async Task<LinesRead> ReadAsync(LineSource source, RunStop run, Action<InputLine, ulong> send)
    {
        long index = -1;
        long skipped = 0;
        CancellationToken abort = run.Abort.Token;
        try
        {
            await foreach (string text in source.ReadAsync(abort).ConfigureAwait(false))
            {
                index++;
                if (string.IsNullOrWhiteSpace(text) || done.ContainsKey(index))
                {
                    skipped += string.IsNullOrWhiteSpace(text) ? 0 : 1;
                    if (ordered)
                    {
                        // Even a skipped line waits its turn, so that the lines held back for order stay within the window.
                        await sink.WaitForRoomAsync(index, abort).ConfigureAwait(false);
                    }

                    sink.Skip(index);
                    continue;
                }

                await sink.WaitForRoomAsync(index, abort).ConfigureAwait(false);
                if (abort.IsCancellationRequested)
                {
                    break;
                }

                InputLine line = parser.Parse(index, text);
                ulong fingerprint = LineFingerprint.Of(text);
                if (line.Request is null)
                {
                    ledger.Finish(RunResult.ForBadLine(line) with { Fingerprint = fingerprint }, run);
                }
                else if (run.Stopped)
                {
                    ledger.Finish(RunResult.ForCancelled(line, line.Request.Lane) with { Fingerprint = fingerprint }, run);
                }
                else
                {
                    send(line, fingerprint);
                }
            }

            return new LinesRead(index, !abort.IsCancellationRequested, skipped, null);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // A signal, or a write failure: start nothing more; what is in flight is cancelled through the abort.
            return new LinesRead(index, false, skipped, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The input cannot be read on: the lines read so far still finish and get their results.
            return new LinesRead(index, false, skipped, e);
        }
    }
}

/// <summary>How the read loop ended.</summary>
/// <param name="LastIndex">The index of the last line read; -1 when none was.</param>
/// <param name="ReadAll">Whether every line was read (no signal, no failure stopped the loop).</param>
/// <param name="Skipped">Lines passed over because <c>--resume</c> found them answered.</param>
/// <param name="Failure">Why the input could not be read on, when it could not.</param>
internal readonly record struct LinesRead(long LastIndex, bool ReadAll, long Skipped, Exception? Failure);
