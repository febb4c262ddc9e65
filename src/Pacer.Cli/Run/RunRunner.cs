using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Pacer.Cli.Config;
using Pacer.Cli.Progress;
using Pacer.Http;

namespace Pacer.Cli.Run;

/// <summary>Runs <c>pacer run</c>: reads the input, sends each request through the lane, writes every result.</summary>
internal sealed class RunRunner(RunSettings settings, CliIo io, TimeProvider time)
{
    private static readonly HttpRequestOptionsKey<long> CostKey = new("pacer.cost");

    /// <summary>Set on a request whose cost was estimated from its body: its answer's usage corrects it.</summary>
    private static readonly HttpRequestOptionsKey<bool> EstimatedKey = new("pacer.cost-estimated");

    private readonly ConcurrentDictionary<(string Lane, int Priority), HttpClient> _clients = new();
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _open = 1;
    private readonly LaneTally _badLines = new();
    private readonly RecentResults _recent = new(capacity: 5);
    private Dictionary<string, LaneConfig> _lanes = [];
    private Dictionary<string, LaneTally> _tallies = [];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        IReadOnlyList<LaneConfig>? lanes = settings.Lanes ?? (settings.Config is { } config
            ? ConfigLoader.Load(config, Environment.GetEnvironmentVariable, errors)
            : [settings.FlagLane()]);
        PacerEngine? engine = lanes is null ? null : await ConfigLoader.TryBuildEngineAsync(lanes, time, errors).ConfigureAwait(false);
        if (engine is null)
        {
            foreach (string error in errors)
            {
                await io.Error.WriteLineAsync(error).ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        await using (engine.ConfigureAwait(false))
        {
            _lanes = lanes!.ToDictionary(l => l.Name);
            var parser = new RequestParser(settings, lanes!);
            _tallies = _lanes.Keys.ToDictionary(name => name, _ => new LaneTally());
            LineSource source = settings.Lines is { } lines ? new LineSource(lines) : new LineSource(settings.Input, io.In);
            if (!source.IsStdin && !File.Exists(settings.Input))
            {
                await io.Error.WriteLineAsync($"Input file '{settings.Input}' does not exist.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (settings.Out is { } existing && !settings.Resume && !settings.Overwrite && File.Exists(existing) && new FileInfo(existing).Length > 0)
            {
                await io.Error.WriteLineAsync($"'{existing}' already holds results. Add --resume to keep them and run only the lines without one, or --overwrite to start over.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (settings.Strict && !await CheckAllAsync(source, parser, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.Usage;
            }

            HashSet<long> done = settings.Resume ? await ResumeFile.PrepareAsync(settings.Out!, cancellationToken).ConfigureAwait(false) : [];
            TextWriter output = settings.Out is { } path
                ? new StreamWriter(new FileStream(path, settings.Resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { NewLine = "\n" }
                : io.Out;
            try
            {
                return await RunLinesAsync(engine, source, parser, done, output, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!ReferenceEquals(output, io.Out))
                {
                    await output.DisposeAsync().ConfigureAwait(false);
                }

                foreach (HttpClient client in _clients.Values)
                {
                    client.Dispose();
                }
            }
        }
    }

    private async Task<bool> CheckAllAsync(LineSource source, RequestParser parser, CancellationToken cancellationToken)
    {
        await source.BufferAsync(cancellationToken).ConfigureAwait(false);
        int bad = 0;
        long index = -1;
        await foreach (string text in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            index++;
            if (!string.IsNullOrWhiteSpace(text) && parser.Parse(index, text).Error is { } error)
            {
                bad++;
                await io.Error.WriteLineAsync(error).ConfigureAwait(false);
            }
        }

        if (bad > 0)
        {
            await io.Error.WriteLineAsync($"{bad} bad line(s); nothing was sent (--strict).").ConfigureAwait(false);
        }

        return bad == 0;
    }

    private async Task<int> RunLinesAsync(PacerEngine engine, LineSource source, RequestParser parser, HashSet<long> done, TextWriter output, CancellationToken interrupted)
    {
        Dictionary<string, LaneTally> tallies = _tallies;
        var sink = new ResultSink(output, ordered: !settings.Unordered, settings.Window);
        var warmUp = new LaneWarmUp(_lanes, time);
        // Nothing more starts once `stop` is cancelled: by Ctrl+C (which also cancels what is in
        // flight, through `interrupted`) or by --fail-fast (which lets it finish).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        if (settings.FailFast)
        {
            // A running request that fails after the stop would otherwise wait for a retry and start again.
            engine.JobRetrying += (_, _) =>
            {
                if (stop.IsCancellationRequested)
                {
                    engine.CancelWaiting();
                }
            };
        }

        using var progressStop = new CancellationTokenSource();
        long started = time.GetTimestamp();
        var state = new ProgressState(engine, time, tallies, _recent, started);
        Task progress = ProgressView.Create(settings.Progress, io.Error, state).RunAsync(progressStop.Token);
        long skipped = 0;

        long index = -1;
        try
        {
            await foreach (string text in source.ReadAsync(interrupted).ConfigureAwait(false))
            {
                index++;
                if (string.IsNullOrWhiteSpace(text) || done.Contains(index))
                {
                    skipped += string.IsNullOrWhiteSpace(text) ? 0 : 1;
                    if (!settings.Unordered)
                    {
                        // Even a skipped line waits its turn, so that the lines held back for order stay within the window.
                        await sink.WaitForRoomAsync(index, interrupted).ConfigureAwait(false);
                    }

                    sink.Skip(index);
                    continue;
                }

                await sink.WaitForRoomAsync(index, interrupted).ConfigureAwait(false);
                InputLine line = parser.Parse(index, text);
                if (sink.Failure is not null)
                {
                    break;
                }

                if (line.Request is null)
                {
                    Finish(engine, RunResult.ForBadLine(line), sink, tallies, stop);
                }
                else if (stop.IsCancellationRequested)
                {
                    Finish(engine, RunResult.ForCancelled(line, line.Request.Lane), sink, tallies, stop);
                }
                else
                {
                    Interlocked.Increment(ref _open);
                    tallies[line.Request.Lane].Start(time.GetTimestamp());
                    Task warm = warmUp.WhenWarm(line.Request.Lane);
                    _ = SendAsync(engine, line, sink, tallies, stop, warm, warmUp.BeginIfFirst(line.Request.Lane), interrupted);
                }
            }
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            // Ctrl+C: start nothing more; what is in flight is cancelled through `interrupted` and still written.
        }

        state.InputComplete = true;
        Close();
        await _allDone.Task.ConfigureAwait(false);
        await progressStop.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        await RunSummary.WriteAsync(io.Error, state, _badLines.Failed, skipped, time.GetElapsedTime(started)).ConfigureAwait(false);
        if (sink.Failure is { } failure)
        {
            await io.Error.WriteLineAsync($"Results could not be written, so the run stopped: {failure.Message} Run again with --resume to finish the lines without a result.").ConfigureAwait(false);
            return ExitCodes.SomeFailed;
        }

        if (interrupted.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }

        return _badLines.Failed == 0 && tallies.Values.All(t => t.Failed == 0 && t.Cancelled == 0) ? ExitCodes.Success : ExitCodes.SomeFailed;
    }

    /// <param name="warm">Completes when the lane may take this request (see <see cref="LaneWarmUp"/>).</param>
    /// <param name="answered">Set once the response begins (or the request fails), when this is the lane's first request.</param>
    /// <param name="stop">Cancelled when nothing more may start (Ctrl+C, --fail-fast).</param>
    /// <param name="interrupted">Cancelled by Ctrl+C: the request is cancelled even in flight.</param>
    private async Task SendAsync(PacerEngine engine, InputLine line, ResultSink sink, Dictionary<string, LaneTally> tallies, CancellationTokenSource stop, Task warm, TaskCompletionSource? answered, CancellationToken interrupted)
    {
        RequestSpec spec = line.Request!;
        long started = time.GetTimestamp();
        var attempts = new StrongBox<int>();
        RunResult result;
        try
        {
            if (!warm.IsCompleted)
            {
                await warm.WaitAsync(stop.Token).ConfigureAwait(false);
            }

            stop.Token.ThrowIfCancellationRequested();

            using HttpRequestMessage request = BuildRequest(spec, attempts);
            using HttpResponseMessage response = await ClientFor(engine, spec.Lane, spec.Priority).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, interrupted).ConfigureAwait(false);
            answered?.TrySetResult();
            byte[] body = await response.Content.ReadAsByteArrayAsync(interrupted).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            string? error = response.IsSuccessStatusCode ? null : $"line {line.LineNumber}: HTTP {status} {response.ReasonPhrase}".TrimEnd();
            result = new RunResult(line.Index, line.IdJson, response.IsSuccessStatusCode, status, attempts.Value, spec.Lane, Ms(started), body, error, line.MetadataJson);
        }
        catch (OperationCanceledException e) when (stop.IsCancellationRequested && e.InnerException is not TimeoutException)
        {
            result = RunResult.ForCancelled(line, spec.Lane) with { Attempts = attempts.Value, Milliseconds = Ms(started) };
        }
#pragma warning disable CA1031 // Any failure of one request becomes its result; the run goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            string message = e is TaskCanceledException { InnerException: TimeoutException } ? $"timed out: {e.Message}" : e.Message;
            result = new RunResult(line.Index, line.IdJson, false, null, attempts.Value, spec.Lane, Ms(started), null, $"line {line.LineNumber}: {message}", line.MetadataJson);
        }

        answered?.TrySetResult();
        try
        {
            Finish(engine, result, sink, tallies, stop);
        }
        finally
        {
            Close();
        }
    }

    private void Finish(PacerEngine engine, RunResult result, ResultSink sink, Dictionary<string, LaneTally> tallies, CancellationTokenSource stop)
    {
        (result.Lane is { } lane ? tallies[lane] : _badLines).Record(result, time.GetTimestamp());
        _recent.Add(result);
        bool failFast = settings.FailFast && !result.Ok && !result.Cancelled && !stop.IsCancellationRequested;
        if (failFast)
        {
            // Off this thread: the cancelled requests' results come back through this method.
            _ = stop.CancelAsync();
        }

        sink.Complete(result, opened: true);
        if (failFast)
        {
            // What waits in a lane or for a retry has not started: it ends cancelled. Running requests finish.
            engine.CancelWaiting();
        }
    }

    private void Close()
    {
        if (Interlocked.Decrement(ref _open) == 0)
        {
            _allDone.TrySetResult();
        }
    }

    private long Ms(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    private static HttpRequestMessage BuildRequest(RequestSpec spec, StrongBox<int> attempts)
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

        request.Options.Set(CostKey, spec.Cost);
        if (spec.CostIsEstimate)
        {
            request.Options.Set(EstimatedKey, true);
        }
        request.Options.Set(AttemptCounter.Key, attempts);
        return request;
    }

    /// <summary>One client per lane and priority: a Pacer handler sends all its requests in one lane, with one retry policy and timeout, at one priority.</summary>
    private HttpClient ClientFor(PacerEngine engine, string lane, int priority) =>
        _clients.TryGetValue((lane, priority), out HttpClient? client) ? client : _clients.GetOrAdd((lane, priority), NewClient, engine);

    /// <summary>The tokens an answer reports using, for a request whose cost was estimated; else the estimate stands.</summary>
    private static long? CorrectedCost(HttpResponseMessage response, ReadOnlyMemory<byte> body) =>
        response.RequestMessage?.Options.TryGetValue(EstimatedKey, out bool estimated) == true && estimated ? TokenUsage.Read(response, body) : null;

    private HttpClient NewClient((string Lane, int Priority) key, PacerEngine engine)
    {
        LaneConfig config = _lanes[key.Lane];
        var options = new PacerHttpOptions
        {
            Lane = key.Lane,
            CostEstimator = r => r.Options.TryGetValue(CostKey, out long cost) ? cost : 1,
            CostFromResponse = config.Limits.CostRates.Count == 0 ? null : CorrectedCost,
            Priority = key.Priority,
            AttemptTimeout = config.Timeout,
            Retry = config.Retry.ToPolicy(),
            RetryableStatusCodes = config.Retry.StatusCodes(),
        };
        var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(new PacerHttpHandler(engine, options, new AttemptCounter(sockets, _tallies[key.Lane]))) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
