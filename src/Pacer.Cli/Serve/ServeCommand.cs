using System.CommandLine;
using Pacer.Cli.Config;
using Pacer.Cli.Run;
using Pacer.Server;
using Pacer.Server.Runs;
using Pacer.Server.Security;
using Pacer.Sqlite;
using Pacer.Shared;

namespace Pacer.Cli.Serve;

/// <summary><c>pacer serve</c>: the job service, on one SQLite file or a PostgreSQL shared with other servers, with its lanes from a pacer.yaml.</summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that holds the API key.</summary>
    public const string ApiKeyVariable = "PACER_API_KEY";

    public static Command Create(CliIo io)
    {
        var config = new Option<string>("--config") { HelpName = "FILE", Description = "The pacer.yaml whose lanes runs go through, as for pacer run. A job goes only to a URL under a lane's baseUrl.", DefaultValueFactory = _ => "pacer.yaml" };
        var db = new Option<string>("--db") { HelpName = "FILE", Description = "The SQLite file that holds runs, jobs and results; made when missing. A run in it that had not ended goes on when the server starts again.", DefaultValueFactory = _ => "pacer.db" };
        var store = new Option<string?>("--store") { HelpName = "DATABASE", Description = "Keep runs, jobs and results in PostgreSQL instead of --db: postgres://user:password@host:5432/pacer or \"Host=…;Database=…;Username=…\". Any number of servers and pacer workers share one database: each serves every run, and claims jobs under a lease of its own. Its tables are made or updated at start." };
        var urls = new Option<string>("--urls") { HelpName = "URLS", Description = $"Where to listen, separated by ';'. Anywhere but loopback needs an API key ({ApiKeyVariable}).", DefaultValueFactory = _ => ServerOptions.DefaultUrls };
        var maxBody = new Option<FlagSize>("--max-body") { HelpName = "SIZE", Description = "The largest request body taken, e.g. 64MiB; a larger one is answered 413.", DefaultValueFactory = _ => new FlagSize(64L << 20) };
        var maxJobs = new Option<int>("--max-jobs") { HelpName = "N", Description = "The most jobs one run may hold; a larger run is answered 413.", DefaultValueFactory = _ => 1_000_000 };
        var retention = new Option<FlagDuration?>("--retention") { HelpName = "DURATION", Description = "How long a finished run and its results are kept after it ends, e.g. 7d, 12h, 30m; then it is deleted. Default: kept until DELETE /api/runs/{id}." };
        Func<System.CommandLine.Parsing.ArgumentResult, FlagDuration> kept = DurationFlag.Parser(allowZero: false, TimeSpan.MaxValue, text => $"--retention must be a duration such as 7d, 12h or 30m, got '{text}'{DurationSyntax.Hint(text)}.");
        retention.CustomParser = r => kept(r);
        maxJobs.CustomParser = WholeNumberFlag.Parser(1, 100_000_000, 1_000_000);
        maxBody.CustomParser = SizeFlag.Parser(text => $"--max-body must be a size such as 64MiB or 500KB, got '{text}'.");

        var command = new Command("serve", $"Runs the job service: POST runs of request lines (the lines pacer run reads) to /api/runs, watch them, page their results (the lines pacer run writes), cancel a run or one job. Runs live in a SQLite file (or, with --store, a PostgreSQL that many servers and pacer workers share) and go on after a restart; a request in flight at a crash is sent again. Listens on loopback unless told otherwise; with {ApiKeyVariable} set, every request but /health needs 'Authorization: Bearer KEY'. docs/server.md shows every endpoint.")
        {
            config, db, store, urls, maxBody, maxJobs, retention,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            string configPath = parse.GetValue(config)!;
            ServerSection? server = null;
            List<LaneConfig>? lanes = null;
            if (!File.Exists(configPath))
            {
                errors.Add($"--config: '{configPath}' does not exist; pacer serve sends only through the lanes of a pacer.yaml (docs/cli.md).");
            }
            else
            {
                lanes = ConfigLoader.Read(configPath, Environment.GetEnvironmentVariable, errors, out server)?.Select(l => l.Config).ToList();
            }

            StoreAddress? shared = null;
            if (parse.GetValue(store) is { } storeText)
            {
                shared = StoreAddress.Parse(storeText, errors);
                if (parse.GetResult(db) is { Implicit: false })
                {
                    errors.Add("--db and --store both name where runs live: give one (--db for a SQLite file, --store for a PostgreSQL shared with other servers and workers).");
                }
            }

            // The environment's key wins over the config's, as a flag would.
            string? apiKey = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : server?.ApiKey;
            IReadOnlyList<Uri>? addresses = ListenAddresses.Parse(parse.GetValue(urls)!, apiKey is not null, errors);
            await using var states = new LaneStates();
            PacerEngine? engine = lanes is null ? null : await ConfigLoader.TryBuildEngineAsync(lanes, TimeProvider.System, errors, states).ConfigureAwait(false);
            if (engine is null || addresses is null || errors.Count > 0)
            {
                foreach (string error in errors)
                {
                    await io.Error.WriteLineAsync(error).ConfigureAwait(false);
                }

                if (engine is not null)
                {
                    await engine.DisposeAsync().ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            var options = new ServerOptions
            {
                Urls = parse.GetValue(urls)!,
                Database = parse.GetValue(db)!,
                Store = shared?.ConnectionString,
                StoreShown = shared?.Shown,
                WorkerId = shared is null ? "pacer-serve" : ServerOptions.SharedWorkerId(),
                ApiKey = apiKey,
                MaxBodyBytes = parse.GetValue(maxBody).Bytes,
                MaxJobsPerRun = parse.GetValue(maxJobs),
                Retention = parse.GetValue(retention)?.Time,
            };

            return await ServeHost.RunAsync(engine, lanes!, options, addresses, io, $"{lanes!.Count} lane(s) from {configPath}", onListening: null, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
