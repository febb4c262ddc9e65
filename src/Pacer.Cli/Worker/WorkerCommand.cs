using System.CommandLine;
using Npgsql;
using Pacer.Cli.Config;
using Pacer.Cli.Run;
using Pacer.Cli.Serve;
using Pacer.Postgres;
using Pacer.Server;
using Pacer.Server.Runs;
using Pacer.Shared;

namespace Pacer.Cli.Worker;

/// <summary>
/// <c>pacer worker</c>: claims jobs (request lines) from a PostgreSQL job store and sends them
/// through the lanes of a pacer.yaml, with no HTTP API. Any number of workers share one database.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(CliIo io)
    {
        var store = new Option<string>("--store") { HelpName = "DATABASE", Description = "The PostgreSQL job store: postgres://user:password@host:5432/pacer or \"Host=…;Database=…;Username=…\". Its tables are made or updated at start; any number of workers share it.", Required = true };
        var config = new Option<string>("--config") { HelpName = "FILE", Description = "The pacer.yaml whose lanes the jobs go through, as for pacer run; give every worker the same one. A lane with state: shares its limits with the other workers.", DefaultValueFactory = _ => "pacer.yaml" };
        var id = new Option<string?>("--id") { HelpName = "NAME", Description = "This worker's name in the store's leases. Default: host name, process id and a random suffix. A worker started under the name of one that runs is refused." };
        var lease = new Option<FlagDuration>("--lease") { HelpName = "DURATION", Description = "How long a claim holds without renewal, 1s to 1h; renewed every third of it. A worker that dies leaves its jobs to the others after this.", DefaultValueFactory = _ => new FlagDuration(TimeSpan.FromSeconds(30)) };
        var maxInFlight = new Option<int>("--max-in-flight") { HelpName = "N", Description = "The most claimed jobs held at once, waiting in lanes or sending.", DefaultValueFactory = _ => 256 };
        lease.CustomParser = DurationFlag.Parser(allowZero: false, TimeSpan.FromHours(1), text => $"--lease must be a duration from 1s to 1h such as 30s, got '{text}'{DurationSyntax.Hint(text)}.");
        maxInFlight.CustomParser = WholeNumberFlag.Parser(1, 100_000, 256);

        var command = new Command("worker", "Claims jobs from a PostgreSQL job store and sends them through the lanes of a pacer.yaml, with no HTTP API: start as many as the work needs, on any machines, against one database. Each job is a request line (as pacer run reads); its result line is stored with it. A worker stopped by SIGINT or SIGTERM gives the jobs it holds back at once; one that dies leaves them to the others when its lease runs out. docs/scale-out.md shows a deployment.")
        {
            store, config, id, lease, maxInFlight,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            StoreAddress? address = StoreAddress.Parse(parse.GetValue(store) ?? "", errors);
            TimeSpan leaseTime = parse.GetValue(lease).Time;
            if (leaseTime < TimeSpan.FromSeconds(1))
            {
                errors.Add($"--lease must be at least 1s, got {DurationSyntax.Format(leaseTime)}.");
            }

            string? workerId = parse.GetValue(id);
            if (workerId is not null && (workerId.Length is 0 or > 200 || workerId.Any(char.IsControl)))
            {
                errors.Add("--id must be 1 to 200 characters, none of them control characters.");
            }

            string configPath = parse.GetValue(config)!;
            List<LaneConfig>? lanes = null;
            if (!File.Exists(configPath))
            {
                errors.Add($"--config: '{configPath}' does not exist; pacer worker sends only through the lanes of a pacer.yaml (docs/cli.md).");
            }
            else
            {
                lanes = ConfigLoader.Read(configPath, Environment.GetEnvironmentVariable, errors, out _)?.Select(l => l.Config).ToList();
            }

            await using var states = new LaneStates();
            PacerEngine? engine = lanes is null || errors.Count > 0 ? null : await ConfigLoader.TryBuildEngineAsync(lanes, TimeProvider.System, errors, states).ConfigureAwait(false);
            if (engine is null || address is null || errors.Count > 0)
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

            await using (engine.ConfigureAwait(false))
            {
                PostgresJobStore jobs;
                try
                {
                    jobs = new PostgresJobStore(address.ConnectionString);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
                {
                    await io.Error.WriteLineAsync($"--store: cannot use the job store at {address.Shown}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                await using (jobs.ConfigureAwait(false))
                {
                    // The runs of pacer serve on the same database: a job of one keeps its place in it.
                    await using Npgsql.NpgsqlDataSource runs = PostgresDataSource.Create(address.ConnectionString);
                    var places = new RunPlaces(new PostgresRunCatalog(runs, TimeProvider.System), TimeProvider.System);
                    return await RunAsync(engine, lanes!, jobs, places, address, workerId, leaseTime, parse.GetValue(maxInFlight), configPath, io, cancellationToken).ConfigureAwait(false);
                }
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        PacerEngine engine, List<LaneConfig> lanes, PostgresJobStore jobs, RunPlaces places, StoreAddress address, string? workerId, TimeSpan lease, int maxInFlight, string configPath, CliIo io, CancellationToken cancellationToken)
    {
        Dictionary<string, LaneConfig> byName = lanes.ToDictionary(l => l.Name);
        Dictionary<string, LaneTally> tallies = byName.Keys.ToDictionary(n => n, _ => new LaneTally());
        using var clients = new LaneClients(engine, byName, tallies, RunSettings.DefaultMaxBody, TimeProvider.System, limitsMayChange: false);
        using var format = new ServedRequests(lanes, new RequestSender(clients, TimeProvider.System), tallies);
        var report = new WorkerReport(io.Error, TimeProvider.System, tallies);
        var options = new StoreWorkerOptions
        {
            Lease = lease,
            MaxInFlight = maxInFlight,
            OnStoreError = report.StoreFailed,
        };
        if (workerId is not null)
        {
            options.WorkerId = workerId;
        }

        var worker = new StoreWorker(jobs, async (job, stop) =>
        {
            // A job's "line" in its result is its place in its pacer serve run, or else in the store.
            (long index, int priority) = await places.PlaceAsync(job, stop).ConfigureAwait(false);
            SentLine sent = await format.SendAsync(index, job.Submission.Payload, priority, static _ => { }, stop).ConfigureAwait(false);
            if (!stop.IsCancellationRequested)
            {
                report.Ended(sent.State);
            }

            return new JobRunOutcome(sent.State, sent.Attempts, sent.ResultJson, sent.Error);
        }, options);

        // Two workers under one id would renew and complete each other's claims: the id is held while the worker runs.
        IAsyncDisposable? hold;
        try
        {
            hold = await jobs.TryHoldWorkerIdAsync(options.WorkerId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
        {
            await io.Error.WriteLineAsync($"--store: cannot use the job store at {address.Shown}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (hold is null)
        {
            await io.Error.WriteLineAsync($"--id '{options.WorkerId}': another pacer worker on {address.Shown} runs under that id now; give each worker its own, or leave --id out.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using System.Runtime.CompilerServices.ConfiguredAsyncDisposable held = hold.ConfigureAwait(false);
        await io.Error.WriteLineAsync(
            $"pacer worker {options.WorkerId}: claiming jobs from {address.Shown}; {lanes.Count} lane(s) from {configPath}; lease {DurationSyntax.Format(lease)}, up to {maxInFlight} in flight. Stop with Ctrl+C or SIGTERM.").ConfigureAwait(false);
        using var ticking = new CancellationTokenSource();
        Task ticker = TickAsync(report, worker, ticking.Token);
        await worker.RunAsync(cancellationToken).ConfigureAwait(false);
        await ticking.CancelAsync().ConfigureAwait(false);
        await ticker.ConfigureAwait(false);
        await io.Error.WriteLineAsync(report.Summary(0)).ConfigureAwait(false);
        await io.Error.WriteLineAsync("pacer worker: stopped; the jobs it held and had not finished are back in the store.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task TickAsync(WorkerReport report, StoreWorker worker, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(WorkerReport.Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                report.Tick(worker.InFlight);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the worker.
        }
    }
}
