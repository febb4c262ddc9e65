using System.CommandLine;

namespace Pacer.Simulator;

/// <summary>
/// The simulator's command line, defined once for every program that starts it: the simulator's
/// own and <c>pacer simulate</c>. <see cref="AddTo(Command)"/> adds its flags to a command and
/// <see cref="GetOptions(ParseResult)"/> reads them back. A malformed value is a parse error naming
/// the flag and the value; ranges are checked when the simulator starts
/// (<see cref="SimulatorHost.StartAsync(SimulatorOptions, CancellationToken)"/>).
/// </summary>
public sealed class SimulatorCommandLine
{
    /// <summary>The port used when the command line names none.</summary>
    public const int DefaultPort = 5080;

    /// <summary>What the simulator is and serves, for the description of a command that runs it.</summary>
    public const string Description =
        "Runs the simulator, a local service that behaves like rate-limited providers, on 127.0.0.1; prints its address, and Ctrl+C stops it. "
        + "Routes: POST /v1/chat/completions (OpenAI-shaped), POST /v1/messages (Anthropic-shaped), "
        + "GET /api/projects, /api/projects/{id}/suites, /api/suites/{id}/cases (paginated: ?offset=&limit=), POST /echo; "
        + "control: GET /_sim/stats, POST /_sim/reset, GET|POST /_sim/limits. Durations look like 250ms, 2s, 1m30s.";

    private static readonly SimulatorOptions s_defaults = new();

    private readonly Option<int> _port = Int("--port", "Port on 127.0.0.1; 0 picks a free one.", DefaultPort);
    private readonly Option<int> _seed = Int("--seed", "Seed of latency, faults and the listing.", s_defaults.Seed);
    private readonly Option<int?> _rpm = Limit("--rpm", "Hidden limit per API key and route: requests per minute (sliding on chat and messages, fixed on listing and echo).");
    private readonly Option<int?> _rps = Limit("--rps", "Hidden limit per API key and route: requests per second (sliding on chat and messages, fixed on listing and echo).");
    private readonly Option<int?> _tpm = Limit("--tpm", "Hidden limit per API key and route: tokens per sliding minute (prompt characters / 4 + max_tokens).");
    private readonly Option<int?> _concurrency = Limit("--concurrency", "Hidden limit per API key and route: requests in progress at once.");
    private readonly Option<LimitRule[]> _rules = new("--rule")
    {
        Description = "Limits for one API key and/or route, replacing the defaults there; repeatable. "
            + $"SPEC: key=K,route=R,rpm=N,rps=N,tpm=N,concurrency=N (route: {SimulatorRouteNames.AllNames}).",
        HelpName = "SPEC",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = FlagValues.Each(LimitRuleSpec.Parse),
    };

    private readonly Option<TimeSpan?> _latency = Duration("--latency", "Base latency of accepted requests, e.g. 50ms.", s_defaults.Latency.Base);
    private readonly Option<TimeSpan?> _jitter = Duration("--jitter", "Jitter added to the latency: its maximum (uniform) or median (lognormal).", s_defaults.Latency.Jitter);
    private readonly Option<LatencyDistribution> _distribution = new("--distribution")
    {
        Description = "Distribution of the jitter: uniform or lognormal.",
        HelpName = "uniform|lognormal",
        DefaultValueFactory = _ => s_defaults.Latency.Distribution,
        CustomParser = FlagValues.Single(FlagValues.Distribution),
    };

    private readonly Option<double> _sigma = Number("--sigma", "Shape of the lognormal jitter: the standard deviation of its logarithm.", s_defaults.Latency.Sigma);
    private readonly Option<double> _errorRatio = Number("--error-ratio", "Share of accepted requests answered 500.", s_defaults.Faults.ServerErrorRatio);
    private readonly Option<double> _unavailableRatio = Number("--unavailable-ratio", "Share of accepted requests answered 503 with Retry-After.", s_defaults.Faults.UnavailableRatio);
    private readonly Option<TimeSpan?> _unavailableRetryAfter = Duration("--unavailable-retry-after", "Retry-After of the injected 503 answers.", s_defaults.Faults.UnavailableRetryAfter);
    private readonly Option<double> _dropRatio = Number("--drop-ratio", "Share of accepted requests whose connection is aborted without an answer.", s_defaults.Faults.DropRatio);
    private readonly Option<double> _slowRatio = Number("--slow-ratio", "Share of accepted requests answered --slow-delay later than usual.", s_defaults.Faults.SlowRatio);
    private readonly Option<TimeSpan?> _slowDelay = Duration("--slow-delay", "Time a slow answer adds to the usual latency.", s_defaults.Faults.SlowDelay);
    private readonly Option<int> _projects = Int("--projects", "Projects in the listing.", s_defaults.Listing.Projects);
    private readonly Option<int> _suites = Int("--suites", "Suites per project in the listing.", s_defaults.Listing.SuitesPerProject);
    private readonly Option<int> _minCases = Int("--min-cases", "Fewest cases per suite in the listing.", s_defaults.Listing.MinCasesPerSuite);
    private readonly Option<int> _maxCases = Int("--max-cases", "Most cases per suite in the listing.", s_defaults.Listing.MaxCasesPerSuite);
    private readonly Option<int> _maxPageSize = Int("--max-page-size", "Largest limit a listing page may ask for; also the default page size.", s_defaults.Listing.MaxPageSize);

    /// <summary>Adds every flag of the simulator to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Option[] all =
        [
            _port, _seed, _rpm, _rps, _tpm, _concurrency, _rules,
            _latency, _jitter, _distribution, _sigma,
            _errorRatio, _unavailableRatio, _unavailableRetryAfter, _dropRatio, _slowRatio, _slowDelay,
            _projects, _suites, _minCases, _maxCases, _maxPageSize,
        ];
        foreach (Option option in all)
        {
            command.Add(option);
        }
    }

    /// <summary>
    /// Reads the flags of a parse result without errors into new options, defaults where a flag is
    /// absent. The options are not yet validated.
    /// </summary>
    public SimulatorOptions GetOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new SimulatorOptions
        {
            Port = parse.GetValue(_port),
            Seed = parse.GetValue(_seed),
            Limits = new SimulatorLimits
            {
                Default = new LimitOptions
                {
                    RequestsPerMinute = parse.GetValue(_rpm),
                    RequestsPerSecond = parse.GetValue(_rps),
                    TokensPerMinute = parse.GetValue(_tpm),
                    MaxConcurrency = parse.GetValue(_concurrency),
                },
                Rules = [.. parse.GetValue(_rules) ?? []],
            },
            Latency = new LatencyOptions
            {
                Base = parse.GetValue(_latency) ?? s_defaults.Latency.Base,
                Jitter = parse.GetValue(_jitter) ?? s_defaults.Latency.Jitter,
                Distribution = parse.GetValue(_distribution),
                Sigma = parse.GetValue(_sigma),
            },
            Faults = new FaultOptions
            {
                ServerErrorRatio = parse.GetValue(_errorRatio),
                UnavailableRatio = parse.GetValue(_unavailableRatio),
                UnavailableRetryAfter = parse.GetValue(_unavailableRetryAfter) ?? s_defaults.Faults.UnavailableRetryAfter,
                DropRatio = parse.GetValue(_dropRatio),
                SlowRatio = parse.GetValue(_slowRatio),
                SlowDelay = parse.GetValue(_slowDelay) ?? s_defaults.Faults.SlowDelay,
            },
            Listing = new ListingOptions
            {
                Projects = parse.GetValue(_projects),
                SuitesPerProject = parse.GetValue(_suites),
                MinCasesPerSuite = parse.GetValue(_minCases),
                MaxCasesPerSuite = parse.GetValue(_maxCases),
                MaxPageSize = parse.GetValue(_maxPageSize),
            },
        };
    }

    /// <summary>An integer flag with a default that help shows.</summary>
    private static Option<int> Int(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = FlagValues.Single(FlagValues.Int),
    };

    /// <summary>A number flag with a default that help shows.</summary>
    private static Option<double> Number(string name, string description, double defaultValue) => new(name)
    {
        Description = description,
        HelpName = "X",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = FlagValues.Single(FlagValues.Double),
    };

    /// <summary>A hidden limit: no limit unless given.</summary>
    private static Option<int?> Limit(string name, string description) => new(name)
    {
        Description = description + " Default: no limit.",
        HelpName = "N",
        CustomParser = FlagValues.Single<int?>((flag, value) => FlagValues.Int(flag, value)),
    };

    /// <summary>
    /// A duration in the simulator's format. Its default is written into the description, so that
    /// help shows it as a duration rather than as a <see cref="TimeSpan"/>.
    /// </summary>
    private static Option<TimeSpan?> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} Default: {Shared.DurationSyntax.Format(defaultValue)}.",
        HelpName = "DURATION",
        CustomParser = FlagValues.Single<TimeSpan?>((flag, value) => FlagValues.Duration(flag, value)),
    };
}
