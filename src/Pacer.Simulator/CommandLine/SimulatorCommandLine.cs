using System.Globalization;

namespace Pacer.Simulator;

/// <summary>
/// Reads the simulator's command line: <c>--name value</c> or <c>--name=value</c>. Unknown flags
/// and malformed values fail with a message naming the flag and the value.
/// </summary>
internal static class SimulatorCommandLine
{
    /// <summary>The port used when the command line names none.</summary>
    public const int DefaultPort = 5080;

    public const string Usage = """
        Pacer simulator: a local service that behaves like rate-limited providers.

        Usage: dotnet run --project src/Pacer.Simulator -- [options]

        Routes:
          POST /v1/chat/completions           OpenAI-shaped, x-ratelimit-* headers
          POST /v1/messages                   Anthropic-shaped, anthropic-ratelimit-* headers
          GET  /api/projects                  paginated listing: ?offset=&limit=
          GET  /api/projects/{id}/suites
          GET  /api/suites/{id}/cases
          POST /echo                          returns the body
          GET  /_sim/stats   POST /_sim/reset   GET|POST /_sim/limits

        Options:
          --port N                    port on 127.0.0.1 (default 5080; 0 picks a free one)
          --seed N                    seed of latency, faults and listing (default 1)

        Hidden limits, per API key and route (default: none):
          --rpm N                     requests per sliding minute
          --rps N                     requests per sliding second
          --tpm N                     tokens per sliding minute (prompt chars / 4 + max_tokens)
          --concurrency N             requests in progress at once
          --rule SPEC                 limits for one key and/or route, replacing the defaults there;
                                      repeatable. SPEC: key=K,route=R,rpm=N,rps=N,tpm=N,concurrency=N
                                      (route: chat, messages, listing, echo)

        Latency of accepted requests (default: none):
          --latency DURATION          base latency, e.g. 50ms
          --jitter DURATION           uniform maximum, or log-normal median, of the added jitter
          --distribution NAME         uniform (default) or lognormal
          --sigma X                   shape of the log-normal jitter (default 0.5)

        Faults, as shares of accepted requests (default: none):
          --error-ratio X             answered 500
          --unavailable-ratio X       answered 503 with Retry-After
          --unavailable-retry-after DURATION   (default 1s)
          --drop-ratio X              connection aborted without an answer
          --slow-ratio X              answered after --slow-delay more (default 5s)
          --slow-delay DURATION

        Listing sizes:
          --projects N                (default 3)
          --suites N                  suites per project (default 10)
          --min-cases N               fewest cases per suite (default 0)
          --max-cases N               most cases per suite (default 1000)
          --max-page-size N           largest limit a page may ask for (default 250)

          -h, --help                  show this text

        Durations look like 250ms, 2s, 1m30s.
        """;

    /// <summary>Reads the arguments; the options are not yet validated.</summary>
    /// <exception cref="FormatException">An unknown flag, a missing value, or a malformed value.</exception>
    public static CommandLineResult Parse(IReadOnlyList<string> args)
    {
        var options = new SimulatorOptions { Port = DefaultPort };
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                return new CommandLineResult(options, ShowHelp: true);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new FormatException($"Unexpected argument '{arg}'; options start with --. See --help.");
            }

            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }

            if (value is null)
            {
                throw new FormatException($"{name} needs a value. See --help.");
            }

            Apply(options, name, value);
        }

        return new CommandLineResult(options, ShowHelp: false);
    }

    private static void Apply(SimulatorOptions options, string name, string value)
    {
        var limits = options.Limits.Default;
        switch (name)
        {
            case "--port": options.Port = Int(name, value); break;
            case "--seed": options.Seed = Int(name, value); break;
            case "--rpm": limits.RequestsPerMinute = Int(name, value); break;
            case "--rps": limits.RequestsPerSecond = Int(name, value); break;
            case "--tpm": limits.TokensPerMinute = Int(name, value); break;
            case "--concurrency": limits.MaxConcurrency = Int(name, value); break;
            case "--rule": options.Limits.Rules.Add(Rule(value)); break;
            case "--latency": options.Latency.Base = GoDuration.Parse(value, name); break;
            case "--jitter": options.Latency.Jitter = GoDuration.Parse(value, name); break;
            case "--distribution": options.Latency.Distribution = Distribution(name, value); break;
            case "--sigma": options.Latency.Sigma = Double(name, value); break;
            case "--error-ratio": options.Faults.ServerErrorRatio = Double(name, value); break;
            case "--unavailable-ratio": options.Faults.UnavailableRatio = Double(name, value); break;
            case "--unavailable-retry-after": options.Faults.UnavailableRetryAfter = GoDuration.Parse(value, name); break;
            case "--drop-ratio": options.Faults.DropRatio = Double(name, value); break;
            case "--slow-ratio": options.Faults.SlowRatio = Double(name, value); break;
            case "--slow-delay": options.Faults.SlowDelay = GoDuration.Parse(value, name); break;
            case "--projects": options.Listing.Projects = Int(name, value); break;
            case "--suites": options.Listing.SuitesPerProject = Int(name, value); break;
            case "--min-cases": options.Listing.MinCasesPerSuite = Int(name, value); break;
            case "--max-cases": options.Listing.MaxCasesPerSuite = Int(name, value); break;
            case "--max-page-size": options.Listing.MaxPageSize = Int(name, value); break;
            default: throw new FormatException($"Unknown option '{name}'. See --help.");
        }
    }

    /// <summary>Reads <c>key=K,route=R,rpm=N,rps=N,tpm=N,concurrency=N</c>; every part is optional.</summary>
    private static LimitRule Rule(string spec)
    {
        var rule = new LimitRule();
        foreach (string part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"--rule '{spec}': '{part}' must be name=value.");
            }

            string name = part[..equals];
            string value = part[(equals + 1)..];
            string field = $"--rule {name}";
            switch (name)
            {
                case "key": rule.ApiKey = value; break;
                case "route":
                    rule.Route = SimulatorRouteNames.TryParse(value, out var route)
                        ? route
                        : throw new FormatException($"{field} must be one of {SimulatorRouteNames.AllNames}, got '{value}'.");
                    break;
                case "rpm": rule.Limits.RequestsPerMinute = Int(field, value); break;
                case "rps": rule.Limits.RequestsPerSecond = Int(field, value); break;
                case "tpm": rule.Limits.TokensPerMinute = Int(field, value); break;
                case "concurrency": rule.Limits.MaxConcurrency = Int(field, value); break;
                default: throw new FormatException($"--rule '{spec}': unknown part '{name}'; use key, route, rpm, rps, tpm or concurrency.");
            }
        }

        return rule;
    }

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result)
            ? result
            : throw new FormatException($"{name} must be an integer, got '{value}'.");

    private static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result)
            ? result
            : throw new FormatException($"{name} must be a number, got '{value}'.");

    private static LatencyDistribution Distribution(string name, string value) =>
        Enum.TryParse(value, ignoreCase: true, out LatencyDistribution result) && Enum.IsDefined(result) && !char.IsAsciiDigit(value[0])
            ? result
            : throw new FormatException($"{name} must be uniform or lognormal, got '{value}'.");
}
