using System.CommandLine;
using Pacer.Cli.Run;
using Pacer.Simulator;

namespace Pacer.Cli.Simulate;

/// <summary><c>pacer simulate</c>: runs the rate-limited simulator on 127.0.0.1 until Ctrl+C.</summary>
internal static class SimulateCommand
{
    public static Command Create(CliIo io)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1; 0 picks a free one.", DefaultValueFactory = _ => 5080 };
        var seed = new Option<int>("--seed") { Description = "Seed of latency and faults.", DefaultValueFactory = _ => 1 };
        var rps = new Option<int?>("--rps") { Description = "Hidden limit: requests per sliding second, per API key and route." };
        var rpm = new Option<int?>("--rpm") { Description = "Hidden limit: requests per sliding minute, per API key and route." };
        var tpm = new Option<int?>("--tpm") { Description = "Hidden limit: tokens per sliding minute (prompt characters / 4 + max_tokens)." };
        var concurrency = new Option<int?>("--concurrency") { Description = "Hidden limit: requests in progress at once, per API key and route." };
        var latency = new Option<string?>("--latency") { Description = "Base latency of accepted requests, e.g. 50ms." };
        var jitter = new Option<string?>("--jitter") { Description = "Largest uniform jitter added to the latency, e.g. 100ms." };
        foreach (Option<string?> duration in (Option<string?>[])[latency, jitter])
        {
            duration.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<string?>() is { } text && !DurationParser.TryParse(text, out _))
                {
                    r.AddError($"{r.Option.Name} must be a positive duration such as 50ms or 1s, got '{text}'.");
                }
            });
        }

        var command = new Command("simulate", "Runs the simulator on 127.0.0.1: OpenAI- and Anthropic-shaped chat routes, a paginated listing and /echo, with hidden rate limits. Prints its address; Ctrl+C stops it.")
        {
            port, seed, rps, rpm, tpm, concurrency, latency, jitter,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SimulatorOptions
            {
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                Limits = new SimulatorLimits
                {
                    Default = new LimitOptions
                    {
                        RequestsPerSecond = parse.GetValue(rps),
                        RequestsPerMinute = parse.GetValue(rpm),
                        TokensPerMinute = parse.GetValue(tpm),
                        MaxConcurrency = parse.GetValue(concurrency),
                    },
                },
                Latency = new LatencyOptions
                {
                    Base = Duration(parse.GetValue(latency)),
                    Jitter = Duration(parse.GetValue(jitter)),
                },
            };
            SimulatorHost host;
            try
            {
                host = await SimulatorHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                await io.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (IOException e)
            {
                await io.Error.WriteLineAsync($"Cannot listen on 127.0.0.1:{options.Port}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }

            await using (host.ConfigureAwait(false))
            {
                await io.Out.WriteLineAsync($"Pacer simulator listening on {host.BaseAddress} (Ctrl+C to stop)").ConfigureAwait(false);
                await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: stop the simulator.
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static TimeSpan Duration(string? text) => text is not null && DurationParser.TryParse(text, out TimeSpan d) ? d : TimeSpan.Zero;
}
