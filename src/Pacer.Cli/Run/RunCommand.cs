using System.CommandLine;
using Pacer.Cli.Config;
using System.CommandLine.Parsing;
using Pacer.Shared;

namespace Pacer.Cli.Run;

/// <summary><c>pacer run INPUT</c>: sends a JSON-lines file of HTTP requests through paced lanes and writes one result line per input line.</summary>
internal static class RunCommand
{
    public static Command Create(CliIo io)
    {
        var input = new Argument<string>("INPUT") { Description = "A JSON-lines file of requests, or - for stdin. Each line: {\"id\"?, \"url\", \"method\"?, \"headers\"?, \"body\"?, \"lane\"?, \"priority\"?, \"cost\"?}. With --url, each line is the JSON body to send instead." };
        var output = new Option<string?>("--out", "-o") { Description = "Write results to this file instead of stdout. Each result is flushed as it is written. While a run writes it, FILE.lock beside it keeps other runs out." };
        var url = new Option<string?>("--url") { Description = "Send every line as the JSON body of a request to this absolute http(s) URL. A \"metadata\" field in the body is copied to the result. A URL with placeholders is a template: 'https://api.example.com/items/{}' sends one GET per text line, with the line (URL-escaped) in place of {}, and the line as the result's id; with a CSV input, {column} takes that column." };
        var inputFormat = new Option<string>("--input-format") { Description = "How INPUT is read: jsonl (a request per line), json (one JSON array of requests), text (a value per line, for the {} of a --url template), csv (a header row, then rows whose columns fill {column}). auto: text or csv (by the .csv name) with a template --url, else json for a .json file that starts with [ or input whose first line opens an array it does not close, else jsonl.", DefaultValueFactory = _ => "auto" };
        inputFormat.AcceptOnlyFromAmong(InputFormats.Names);
        var body = new Option<string?>("--body") { Description = "With a --url template: the JSON body to send, whose strings may hold {} (the text line, or the CSV row) and {column} (a CSV column), e.g. '{\"id\":\"{id}\",\"text\":\"{text}\"}'. Values are escaped for JSON." };
        var echoRequest = new Option<bool>("--echo-request") { Description = "Copy each line's request into its result as \"request\", for joining results to requests downstream. Secret headers and secret query values are masked." };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Send \"Authorization: Bearer KEY\" with every request, KEY read from this environment variable, so that it stays off the command line and out of the shell history." };
        var method = new Option<string>("--method") { Description = "The HTTP method used with --url.", DefaultValueFactory = _ => "POST" };
        var header = new Option<string[]>("--header", "-H") { Description = "A header sent with every request, as \"Name: value\". Repeatable. A request's own headers win.", AllowMultipleArgumentsPerToken = false };
        var unordered = new Option<bool>("--unordered") { Description = "Write each result as it finishes instead of in input order." };
        var window = new Option<int>("--window") { Description = "Read at most this many lines ahead of the oldest unfinished one (in order) or keep at most this many requests open (--unordered). Bounds memory.", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int?>("--concurrency", "-c") { Description = "The most requests in flight at once. Default: 4, so that a first run does not flood a service; raise it for a service that takes more." };
        var rps = new Option<long?>("--rps") { Description = "The most requests started per second." };
        var rpm = new Option<long?>("--rpm") { Description = "The most requests started per minute." };
        var burst = new Option<long>("--burst") { Description = "How many requests may start at once after an idle spell; 1 (or 0, no burst, as nginx writes it) spaces them evenly.", DefaultValueFactory = _ => 1 };
        var tpm = new Option<long?>("--tpm") { Description = "The most tokens per minute. A request costs its \"cost\" field, else its prompt characters / 4 + max_tokens." };
        var adaptive = new Option<bool>("--adaptive") { Description = "Treat --rps/--rpm and --concurrency as ceilings: learn the service's real limits from its 429s, hold just under them and probe upward slowly (needs --rps or --rpm)." };
        var margin = new Option<FlagDuration>("--margin") { Description = "Time added to each rate's period when spacing starts, so that requests delivered a little late (a new connection, a busy host) cannot make a strict service count more than the limit in any window; 0 paces exactly. Costs 2% of a per-second limit at 20ms.", DefaultValueFactory = _ => new FlagDuration(LaneLimits.DefaultMargin) };
        var maxPause = new Option<FlagDuration>("--max-pause") { Description = "The longest a service's answers may pause the lane (Retry-After, or nothing remaining until a reset): a longer wait is cut to this, and the lane tries again then. 0: answers never pause the lane.", DefaultValueFactory = _ => new FlagDuration(LaneLimits.DefaultMaxPause) };
        var retries = new Option<int>("--retries") { Description = "Retries after the first attempt, for the --retry-on statuses, network errors and timed-out attempts, honouring Retry-After.", DefaultValueFactory = _ => LaneRetry.Default.Retries };
        var retryOn = new Option<FlagStatuses>("--retry-on") { Description = "The answer statuses that are retried, comma-separated (400 to 599), or none.", DefaultValueFactory = _ => new FlagStatuses([.. LaneRetry.Default.Statuses]), CustomParser = RetryOnFlag.Parse };
        var retryDelay = new Option<FlagDuration>("--retry-delay") { Description = "Backoff before the first retry when the service names no wait (Retry-After); it doubles with each retry, with 20% jitter. 0 retries at once.", DefaultValueFactory = _ => new FlagDuration(LaneRetry.Default.BaseDelay) };
        var retryMaxDelay = new Option<FlagDuration?>("--retry-max-delay") { Description = "The longest backoff between retries. Default: 30s, or --retry-delay if that is longer." };
        var timeout = new Option<FlagDuration?>("--timeout") { Description = $"The longest one attempt's whole answer may take, headers and body, e.g. 30s, 500ms, 10m. An attempt without its headers by then is retried; a body still arriving then fails its request. Default: {DurationSyntax.Format(RunSettings.DefaultTimeout)}, also for a --config lane without a timeout." };
        var maxBody = new Option<FlagSize>("--max-body") { Description = "The largest response body kept, e.g. 8MiB, 512KiB, 100MB: a longer one is not kept, and its request fails with its status and headers.", DefaultValueFactory = _ => new FlagSize(RunSettings.DefaultMaxBody) };
        var strict = new Option<bool>("--strict") { Description = "Check the whole input first; if any line is bad, send nothing, name each bad line on stderr and exit with 2." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check the input and the config, then print the lanes, how many requests each would get and the least time their rates allow; send nothing and change no file. Exit 2 if a line is bad." };
        var failFast = new Option<bool>("--fail-fast") { Description = "After the first failure (a bad line, or a request that failed for good), start nothing more: requests not yet started or waiting to retry end cancelled, requests in flight finish. Every line still gets a result." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Needs --out. Replace an out file that already holds results; without it (or --resume) pacer refuses to, so that no results are lost." };
        var resume = new Option<bool>("--resume") { Description = "Needs --out. Keep the results already in the out file, append the rest, and send nothing for lines that already have a result. A result whose line's fingerprint differs (another input) stops the run before anything is sent." };
        var config = new Option<string?>("--config") { Description = "A pacer.yaml with several lanes (base URL, limits, headers, retries, timeout). A request goes to its \"lane\", else to the lane whose baseUrl prefixes its URL. The limit flags are not used with it." };
        var progress = new Option<string>("--progress") { Description = "Progress on stderr: auto (live on a terminal, plain otherwise), live, plain (a line a second) or none.", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");

        // Each number read once, in range, with one error that names the flag.
        window.CustomParser = WholeNumberFlag.Parser(1, int.MaxValue, 1000);
        concurrency.CustomParser = r => r.Tokens.Count == 0 ? null : WholeNumberFlag.Parser(1, int.MaxValue, 1)(r);
        rps.CustomParser = r => r.Tokens.Count == 0 ? null : WholeNumberFlag.Parser(1L, long.MaxValue, 1L)(r);
        rpm.CustomParser = r => r.Tokens.Count == 0 ? null : WholeNumberFlag.Parser(1L, long.MaxValue, 1L)(r);
        burst.CustomParser = WholeNumberFlag.Parser(0L, long.MaxValue, 1L);
        tpm.CustomParser = r => r.Tokens.Count == 0 ? null : WholeNumberFlag.Parser(1L, long.MaxValue, 1L)(r);
        retries.CustomParser = WholeNumberFlag.Parser(0, int.MaxValue, LaneRetry.Default.Retries);
        // Each duration, size and list read once, as it is checked.
        retryDelay.CustomParser = DurationFlag.Parser(allowZero: true, TimeSpan.MaxValue, text => $"--retry-delay must be a duration such as 500ms, 1s or 1m30s, or 0, got '{text}'{DurationSyntax.Hint(text)}.");
        Func<ArgumentResult, FlagDuration> longest = DurationFlag.Parser(allowZero: true, TimeSpan.MaxValue, text => $"--retry-max-delay must be a duration such as 500ms, 1s or 1m30s, or 0, got '{text}'{DurationSyntax.Hint(text)}.");
        retryMaxDelay.CustomParser = r => longest(r);
        maxPause.CustomParser = DurationFlag.Parser(allowZero: true, LaneLimits.LongestMaxPause, text => $"--max-pause must be a duration from 0 to 744h (31 days) such as 5m or 1h, got '{text}'{DurationSyntax.Hint(text)}.");
        margin.CustomParser = DurationFlag.Parser(allowZero: true, TimeSpan.FromHours(1), text => $"--margin must be a duration from 0 to 1h such as 20ms, got '{text}'{DurationSyntax.Hint(text)}.");
        Func<ArgumentResult, FlagDuration> attempt = DurationFlag.Parser(allowZero: false, TimeSpan.MaxValue, text => $"--timeout must be a positive duration such as 30s, 500ms or 1m30s, got '{text}'{DurationSyntax.Hint(text)}.");
        timeout.CustomParser = r => attempt(r);
        method.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is var m && !RequestParser.IsMethod(m))
            {
                r.AddError($"--method must be an HTTP method such as GET or POST (letters, digits and !#$%&'*+-.^_`|~), got {MessageText.Quote(m ?? string.Empty)}.");
            }
        });
        maxBody.CustomParser = SizeFlag.Parser(text => $"--max-body must be a size from 1 byte to 2047MiB such as 8MiB, 512KiB or 1000000, got '{text}'.");
        header.Validators.Add(r =>
        {
            // The value is never quoted: -H is where keys are given.
            string[] given = r.GetValueOrDefault<string[]>() ?? [];
            for (int i = 0; i < given.Length; i++)
            {
                if (HeaderParser.Problem(given[i]) is { } problem)
                {
                    r.AddError($"--header (the {MessageText.Ordinal(i + 1)} given): {problem}.");
                }
            }
        });
        url.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } u && !RequestTemplate.IsTemplate(u) && !RequestParser.IsHttpUrl(u))
            {
                r.AddError($"--url must be an absolute http or https URL, got {MessageText.Quote(Config.SecretMask.Url(u))}.");
            }
        });

        var command = new Command("run", "Sends every request of a JSON-lines file through a rate-limited lane (one from the limit flags, or several from --config), as fast as the limits allow, and writes one JSON result line per input line. Exit codes: 0 all succeeded, 1 some failed, 2 usage, input or output error (an out file in use, results that cannot be written), 130 interrupted (SIGINT, SIGTERM).")
        {
            input, inputFormat, output, url, body, method, header, unordered, window, concurrency, rps, rpm, burst, tpm, adaptive, margin, maxPause, retries, retryOn, retryDelay, retryMaxDelay, timeout, maxBody, strict, failFast, resume, overwrite, config, progress, dryRun, echoRequest, apiKeyEnv,
        };
        command.Validators.Add(r =>
        {
            // Every number is read first, so that each one that cannot be read is named, whatever else is wrong.
            bool unreadable = false;
            foreach (Func<object?> read in (Func<object?>[])[() => r.GetValue(window), () => r.GetValue(concurrency), () => r.GetValue(rps), () => r.GetValue(rpm), () => r.GetValue(burst), () => r.GetValue(tpm), () => r.GetValue(retries)])
            {
                try
                {
                    _ = read();
                }
                catch (InvalidOperationException)
                {
                    unreadable = true;
                }
            }

            if (unreadable)
            {
                return;
            }

            try
            {
                CheckTogether(r);
            }
            catch (InvalidOperationException)
            {
                // The rules between flags need every flag's value: a flag that could not be read has its own error already.
            }
        });

        void CheckTogether(CommandResult r)
        {
            InputFlags.Check(r.GetValue(url), r.GetValue(body), r.GetValue(inputFormat)!, r.GetValue(method)!, r.GetValue(apiKeyEnv), r.GetValue(header) ?? [], Environment.GetEnvironmentVariable).ForEach(r.AddError);
            if (r.GetValue(resume) && r.GetValue(output) is null)
            {
                r.AddError("--resume needs --out: the results already written are read from that file.");
            }

            if (r.GetValue(overwrite) && r.GetValue(output) is null)
            {
                r.AddError("--overwrite needs --out: it is the out file that is replaced.");
            }

            if (r.GetValue(overwrite) && r.GetValue(resume))
            {
                r.AddError("Give --resume (keep the results in --out) or --overwrite (replace them), not both.");
            }

            if (r.GetValue(config) is not null)
            {
                foreach (Option limit in (Option[])[concurrency, rps, rpm, burst, tpm, adaptive, margin, maxPause, retries, retryOn, retryDelay, retryMaxDelay, timeout])
                {
                    if (r.GetResult(limit) is { Implicit: false })
                    {
                        r.AddError($"{limit.Name} cannot be combined with --config: set it on the lane in the config file.");
                    }
                }
            }

            if (r.GetValue(rps) is not null && r.GetValue(rpm) is not null)
            {
                r.AddError("Give --rps or --rpm, not both.");
            }

            if (r.GetValue(adaptive) && r.GetValue(rps) is null && r.GetValue(rpm) is null)
            {
                r.AddError("--adaptive needs --rps or --rpm: the rate it adapts.");
            }

            {
                LaneRetry retry = ReadRetry(ValueOf(r, retries), ValueOf(r, retryOn), ValueOf(r, retryDelay), ValueOf(r, retryMaxDelay));
                var errors = new List<string>();
                retry.Validate(string.Empty, key => key switch { "statuses" => "--retry-on", "baseDelay" => "--retry-delay", "maxDelay" => "--retry-max-delay", _ => "--retries" }, errors);
                errors.ForEach(r.AddError);
            }
        }

        command.SetAction((parse, cancellationToken) =>
        {
            InputShape shape = InputFlags.Shape(parse.GetValue(url), parse.GetValue(body), parse.GetValue(inputFormat)!, parse.GetValue(method)!, methodGiven: parse.GetResult(method) is { Implicit: false });
            var settings = new RunSettings
            {
                Input = parse.GetValue(input)!,
                Arguments = [.. parse.Tokens.Select(t => t.Value)],
                Out = parse.GetValue(output),
                Url = shape.Template is null ? parse.GetValue(url) : null,
                Method = parse.GetValue(method)!,
                Shape = shape,
                EchoRequest = parse.GetValue(echoRequest),
                Headers = [
                    .. InputFlags.ApiKeyHeader(parse.GetValue(apiKeyEnv), Environment.GetEnvironmentVariable),
                    .. (parse.GetValue(header) ?? []).Select(h => HeaderParser.TryParse(h, out var kv) ? kv : throw new InvalidOperationException($"Unchecked header '{h}'.")),
                ],
                Unordered = parse.GetValue(unordered),
                Window = parse.GetValue(window),
                Concurrency = parse.GetValue(concurrency),
                Rps = parse.GetValue(rps),
                Rpm = parse.GetValue(rpm),
                // No burst (0, as nginx writes it) is one start at a time: the same as 1.
                Burst = Math.Max(1, parse.GetValue(burst)),
                Tpm = parse.GetValue(tpm),
                Adaptive = parse.GetValue(adaptive),
                Margin = parse.GetValue(margin).Time,
                MaxPause = parse.GetValue(maxPause).Time,
                Retry = ReadRetry(parse.GetValue(retries), parse.GetValue(retryOn), parse.GetValue(retryDelay), parse.GetValue(retryMaxDelay)),
                Timeout = parse.GetValue(timeout)?.Time,
                MaxBody = parse.GetValue(maxBody).Bytes,
                Strict = parse.GetValue(strict),
                DryRun = parse.GetValue(dryRun),
                FailFast = parse.GetValue(failFast),
                Resume = parse.GetValue(resume),
                Overwrite = parse.GetValue(overwrite),
                Progress = parse.GetValue(progress)!,
                Config = parse.GetValue(config),
            };
            return new RunRunner(settings, io, TimeProvider.System).RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>A flag's value in the command's validator, where a flag not given has no value yet: its default then.</summary>
    private static T ValueOf<T>(CommandResult r, Option<T> option) =>
        r.GetResult(option) is not null ? r.GetValue(option)! : option.DefaultValueFactory is { } factory ? factory(null!) : default!;

    /// <summary>The retry flags as a policy (each flag was read, and checked, by its own parser).</summary>
    private static LaneRetry ReadRetry(int retries, FlagStatuses statuses, FlagDuration delay, FlagDuration? maxDelay) =>
        LaneRetry.Create(retries, delay.Time, maxDelay?.Time, [.. statuses.Codes]);
}
