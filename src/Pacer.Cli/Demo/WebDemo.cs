using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pacer.Cli.Config;
using Pacer.Cli.Serve;
using Pacer.Server;
using Pacer.Server.Security;
using Pacer.Simulator;

namespace Pacer.Cli.Demo;

/// <summary>
/// <c>pacer demo --web</c>: the demo's simulator and lanes behind <c>pacer serve</c>, on a database
/// of its own that is deleted at the end, with the demo's requests submitted as one run; prints the
/// dashboard's address of the run and serves until Ctrl+C.
/// </summary>
internal sealed class WebDemo(int requests, int seed, string urls, CliIo io)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        SimulatorHost simulator = await SimulatorHost.StartAsync(DemoRunner.SimulatorOptions(seed), cancellationToken).ConfigureAwait(false);
        await using (simulator.ConfigureAwait(false))
        {
            List<LaneConfig> lanes = [.. DemoProvider.All.Select(p => p.Lane(simulator.BaseAddress))];
            var errors = new List<string>();
            IReadOnlyList<Uri>? addresses = ListenAddresses.Parse(urls, hasApiKey: false, errors);
            PacerEngine? engine = addresses is null ? null : await ConfigLoader.TryBuildEngineAsync(lanes, TimeProvider.System, errors).ConfigureAwait(false);
            if (engine is null)
            {
                foreach (string error in errors)
                {
                    await io.Error.WriteLineAsync(error).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            string database = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"pacer-demo-{Environment.ProcessId}.db"));
            var options = new ServerOptions { Urls = urls, Database = database };
            try
            {
                return await ServeHost.RunAsync(engine, lanes, options, addresses!, io, "the demo's 3 lanes against a local simulator", SubmitAsync, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (string file in (string[])[database, database + "-wal", database + "-shm"])
                {
                    File.Delete(file);
                }
            }
        }
    }

    /// <summary>Submits the demo's requests as one run, and prints the address of its page.</summary>
    private async Task SubmitAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var content = new StringContent(string.Join('\n', DemoRunner.Lines(requests, seed)) + "\n", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using HttpResponseMessage response = await http.PostAsync(new Uri("/api/runs?name=demo", UriKind.Relative), content).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await io.Error.WriteLineAsync($"pacer demo: the demo run was refused ({(int)response.StatusCode}): {body}").ConfigureAwait(false);
            return;
        }

        string id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        await io.Error.WriteLineAsync($"Dashboard: {new Uri(server, "/runs/" + id)}  ({requests} requests; all runs at {server}; Ctrl+C stops)").ConfigureAwait(false);
    }
}
