using Microsoft.AspNetCore.Builder;
using Pacer.Cli.Config;
using Pacer.Cli.Run;
using Pacer.Server;
using Pacer.Server.Runs;

namespace Pacer.Cli.Serve;

/// <summary>
/// Runs the job service until it is told to stop: the lanes' clients, the store, the app. Used by
/// <c>pacer serve</c>, and by <c>pacer demo --web</c> with the demo's lanes.
/// </summary>
internal static class ServeHost
{
    /// <summary>Serves until <paramref name="cancellationToken"/> fires (SIGINT or SIGTERM), then gives the jobs in flight back to the store.</summary>
    /// <param name="engine">The engine with the lanes' limits; disposed here.</param>
    /// <param name="what">What the start line says it serves, e.g. "3 lane(s) from pacer.yaml".</param>
    /// <param name="onListening">Told the address the server listens on, once it does.</param>
    public static async Task<int> RunAsync(
        PacerEngine engine, IReadOnlyList<LaneConfig> lanes, ServerOptions options, IReadOnlyList<Uri> addresses, CliIo io, string what, Func<Uri, Task>? onListening, CancellationToken cancellationToken)
    {
        await using (engine.ConfigureAwait(false))
        {
            Dictionary<string, LaneConfig> byName = lanes.ToDictionary(l => l.Name);
            Dictionary<string, LaneTally> tallies = byName.Keys.ToDictionary(n => n, _ => new LaneTally());
            using var clients = new LaneClients(engine, byName, tallies, RunSettings.DefaultMaxBody, TimeProvider.System, limitsMayChange: true);
            using var format = new ServedRequests(lanes, new RequestSender(clients, TimeProvider.System), tallies);
            ServerStore store;
            try
            {
                store = PacerServer.OpenStore(options, TimeProvider.System);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException && options.Store is null)
            {
                await io.Error.WriteLineAsync($"--db: '{options.Database}' cannot be used: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException or IOException or ArgumentException && options.Store is not null)
            {
                await io.Error.WriteLineAsync($"--store: cannot use the store at {options.Where}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using ServerStore ownedStore = store;
            WebApplication app = PacerServer.Build(options, addresses, engine, format, store);
            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    await io.Error.WriteLineAsync($"--urls: cannot listen on {options.Urls}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                await io.Error.WriteLineAsync($"pacer serve: listening on {string.Join(", ", app.Urls)}; {what}; runs in {options.Where}{(options.Shared ? $" as {options.WorkerId}" : "")}{(options.ApiKey is null ? "" : "; API key required")}.").ConfigureAwait(false);
                try
                {
                    if (onListening is not null)
                    {
                        await onListening(Reachable(new Uri(app.Urls.First()))).ConfigureAwait(false);
                    }

                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT or SIGTERM: stop, giving jobs in flight back to the store.
                }

                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>A server listening on every address is reached on loopback.</summary>
    private static Uri Reachable(Uri address) =>
        address.Host is "0.0.0.0" or "[::]" ? new UriBuilder(address) { Host = "127.0.0.1" }.Uri : address;
}
