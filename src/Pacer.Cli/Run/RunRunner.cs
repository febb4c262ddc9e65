using Pacer.Cli.Config;
using Pacer.Cli.Progress;

namespace Pacer.Cli.Run;

/// <summary>
/// Runs <c>pacer run</c>: checks what it was given (config, input, out file, <c>--strict</c>,
/// <c>--resume</c>, <c>--dry-run</c>), then runs the lines: the <see cref="LineReadLoop"/> reads them
/// and hands each request to the <see cref="RequestSender"/>; the <see cref="RunLedger"/> records every
/// result and says when the last is in; then the summary and the exit code.
/// </summary>
internal sealed class RunRunner(RunSettings settings, CliIo io, TimeProvider time)
{
    private Dictionary<string, LaneConfig> _lanes = [];
    private Dictionary<string, LaneTally> _tallies = [];
    private RunLedger? _ledger;
    private RequestSender? _sender;
    private LaneClients? _clients;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await PrepareAndRunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted before the first request: while the input was checked or the out file read.
            await io.Error.WriteLineAsync("Interrupted; nothing was sent.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    private async Task<int> PrepareAndRunAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        IReadOnlyList<LaneConfig>? lanes = settings.Lanes ?? (settings.Config is { } config
            ? ConfigLoader.Load(config, Environment.GetEnvironmentVariable, errors)
            : [settings.FlagLane()]);
        await using var states = new LaneStates();
        PacerEngine? engine = lanes is null ? null : await ConfigLoader.TryBuildEngineAsync(lanes, time, errors, states).ConfigureAwait(false);
        if (engine is null)
        {
            return await FailAsync(errors).ConfigureAwait(false);
        }

        await using (engine.ConfigureAwait(false))
        {
            _lanes = lanes!.ToDictionary(l => l.Name);
            var parser = new RequestParser(settings, lanes!);
            _tallies = _lanes.Keys.ToDictionary(name => name, _ => new LaneTally());
            LineSource source = settings.Lines is { } lines ? new LineSource(lines) : new LineSource(settings.Input, io.In, settings.Shape);
            if (!source.IsStdin && !File.Exists(settings.Input))
            {
                return await FailAsync([$"Input file '{settings.Input}' does not exist."]).ConfigureAwait(false);
            }

            if (settings.DryRun)
            {
                return await DryRun.RunAsync(source, parser, lanes!, settings, io, cancellationToken).ConfigureAwait(false);
            }

            // The out file is claimed before anything is read from it, checked or sent, and truncated last.
            OutFile? outFile = null;
            if (settings.Out is { } path && !OutFile.TryClaim(path, settings.Resume, settings.Overwrite, out outFile, out string? claimError))
            {
                return await FailAsync([claimError!]).ConfigureAwait(false);
            }

            try
            {
                if (settings.Strict && !await StrictCheck.PassesAsync(source, parser, io.Error, cancellationToken).ConfigureAwait(false))
                {
                    return ExitCodes.Usage;
                }

                (IReadOnlyDictionary<long, ResumedResult>? done, string? resumeError) = settings.Resume && outFile is not null
                    ? await ResumePreparation.PrepareAsync(outFile, source, cancellationToken).ConfigureAwait(false)
                    : (new Dictionary<long, ResumedResult>(), null);
                if (done is null)
                {
                    return await FailAsync([resumeError!]).ConfigureAwait(false);
                }

                TextWriter? output = io.Out;
                if (outFile is not null && !outFile.TryOpenWriter(settings.Resume, out output, out string? openError))
                {
                    return await FailAsync([openError!]).ConfigureAwait(false);
                }

                using var clients = new LaneClients(engine, _lanes, _tallies, settings.MaxBody, time);
                _ledger = new RunLedger(_tallies, settings.FailFast, time);
                _sender = new RequestSender(clients, time);
                _clients = clients;
                try
                {
                    return await RunLinesAsync(engine, source, parser, done, output!, ownsOutput: outFile is not null, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    // Closed by the run, which reports a failure to; this covers a run that threw.
                    await CloseAsync(output!, ownsOutput: outFile is not null).ConfigureAwait(false);
                }
            }
            finally
            {
                outFile?.Dispose();
            }
        }
    }

    /// <summary>Sends one line's request; its result goes to the ledger, and the ledger's count of open requests drops when it has.</summary>
    private async Task SendAsync(InputLine line, ulong fingerprint, RunStop run, Task warm, TaskCompletionSource? answered)
    {
        try
        {
            RunResult result = await _sender!.SendAsync(line, run.Stop.Token, run.Abort.Token, warm, answered).ConfigureAwait(false);
            _ledger!.Finish(result with { Fingerprint = fingerprint }, run);
        }
        finally
        {
            _ledger!.Close();
        }
    }

    private async Task<int> FailAsync(IEnumerable<string> errors)
    {
        foreach (string error in errors)
        {
            await io.Error.WriteLineAsync(error).ConfigureAwait(false);
        }

        return ExitCodes.Usage;
    }

    private async Task<int> RunLinesAsync(PacerEngine engine, LineSource source, RequestParser parser, IReadOnlyDictionary<long, ResumedResult> done, TextWriter output, bool ownsOutput, CancellationToken interrupted)
    {
        Dictionary<string, LaneTally> tallies = _tallies;
        var sink = new ResultSink(output, ordered: !settings.Unordered, settings.Window);
        var warmUp = new LaneWarmUp(_lanes, time, _clients!.FirstSent);

        // Cancelled by a signal, or once results can no longer be written (see Finish): reading
        // stops, and what waits or is in flight is cancelled.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(interrupted);

        // Nothing more starts once `stop` is cancelled: by `abort`, or by --fail-fast (which lets
        // what is in flight finish).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        var run = new RunStop(engine, sink, stop, abort);
        if (settings.FailFast)
        {
            // A running request that fails after the stop would otherwise wait for a retry and start again.
            engine.JobRetrying += (_, _) =>
            {
                if (run.Stopped)
                {
                    engine.CancelWaiting();
                }
            };
        }

        using var progressStop = new CancellationTokenSource();
        long started = time.GetTimestamp();
        RunLedger ledger = _ledger!;
        var state = new ProgressState(engine, time, tallies, ledger.Recent, started);
        Task progress = ProgressView.Create(settings.Progress, io.Error, state).RunAsync(progressStop.Token);
        var loop = new LineReadLoop(parser, sink, ledger, done, ordered: !settings.Unordered);
        LinesRead read = await loop.ReadAsync(source, run, (line, fingerprint) =>
        {
            ledger.Open();
            tallies[line.Request!.Lane].Start(time.GetTimestamp());
            Task warm = warmUp.WhenWarm(line.Request.Lane);
            _ = SendAsync(line, fingerprint, run, warm, warmUp.BeginIfFirst(line.Request.Lane));
        }).ConfigureAwait(false);
        (long index, bool readAll, long skipped, Exception? inputFailure) = read;

        state.InputComplete = true;
        ledger.Close();
        await ledger.AllDone.ConfigureAwait(false);
        // Closed in any case; a close that fails after a write did is the same failure, reported once.
        IOException? closeFailure = await CloseAsync(output, ownsOutput).ConfigureAwait(false);
        IOException? writeFailure = sink.Failure ?? closeFailure;
        await progressStop.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        if (inputFailure is not null && index < 0)
        {
            // Nothing was read, so nothing was sent: the cause is all there is to say.
            return await FailAsync([$"Cannot read {source.Name}: {inputFailure.Message}"]).ConfigureAwait(false);
        }

        string[] defaultConcurrency = [.. _lanes.Values.Where(l => l.ConcurrencyIsDefault).Select(l => l.Name)];
        await RunSummary.WriteAsync(io.Error, state, ledger.BadLines.Failed, skipped, time.GetElapsedTime(started), defaultConcurrency, limitsFromFlags: settings.Config is null && settings.Lanes is null).ConfigureAwait(false);
        if (writeFailure is not null)
        {
            return await FailAsync([settings.Out is { } path
                ? $"Results could not be written to '{path}' ({writeFailure.Message}), so the run stopped: nothing more was sent. Run again with --resume to send the lines without a result."
                : $"Results could not be written to stdout ({writeFailure.Message}), so the run stopped: nothing more was sent."]).ConfigureAwait(false);
        }

        if (inputFailure is not null)
        {
            return await FailAsync([$"Reading {source.Name} failed after line {index + 1} ({inputFailure.Message}); the lines read have their results. Run again with --resume once it can be read."]).ConfigureAwait(false);
        }

        long cancelled = tallies.Values.Sum(t => t.Cancelled);
        if (interrupted.IsCancellationRequested)
        {
            await io.Error.WriteLineAsync(ResumeHint.Describe("Interrupted", cancelled, readAll, settings)).ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        if (settings.FailFast && run.Stopped && cancelled > 0)
        {
            await io.Error.WriteLineAsync(ResumeHint.Describe("Stopped at the first failure (--fail-fast)", cancelled, readAll: true, settings)).ConfigureAwait(false);
        }

        return ledger.BadLines.Failed == 0 && tallies.Values.All(t => t.Failed == 0 && t.Cancelled == 0) ? ExitCodes.Success : ExitCodes.SomeFailed;
    }

    /// <summary>Closes the out file, writing what its buffers still hold; the failure if that cannot be done.</summary>
    private static async Task<IOException?> CloseAsync(TextWriter output, bool ownsOutput)
    {
        try
        {
            if (ownsOutput)
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }
        catch (IOException e)
        {
            return e;
        }
    }

}
