using System.Globalization;
using System.Text.Json;
using Pacer.Cli.Run;
using Pacer.Simulator;

namespace Pacer.Cli.Demo;

/// <summary>
/// Starts the simulator in-process with three providers whose hidden limits differ, and sends the
/// demo's requests through <c>pacer run</c>'s runner with three lanes told those limits.
/// </summary>
internal sealed class DemoRunner(int requests, int seed, string progress, string? outPath, CliIo io)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        SimulatorHost host = await SimulatorHost.StartAsync(SimulatorOptions(seed), cancellationToken).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Simulator on {host.BaseAddress}; {requests} requests over {string.Join(", ", DemoProvider.All.Select(p => $"{p.Name} ({p.Rps}/s, {p.Concurrency} at once)"))}.")).ConfigureAwait(false);
            var settings = new RunSettings
            {
                Input = "(demo)",
                Out = outPath,
                Overwrite = true,
                Progress = progress,
                Lanes = [.. DemoProvider.All.Select(p => p.Lane(host.BaseAddress))],
                Lines = Lines(requests, seed),
            };
            var runIo = new CliIo(TextReader.Null, TextWriter.Null, io.Error);
            return await new RunRunner(settings, runIo, TimeProvider.System).RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The simulator of the demo: on a port of its own, with the providers' hidden limits.</summary>
    internal static SimulatorOptions SimulatorOptions(int seed)
    {
        var options = new SimulatorOptions
        {
            Port = 0,
            Seed = seed,
            Latency = new LatencyOptions { Base = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(60) },
        };
        foreach (DemoProvider provider in DemoProvider.All)
        {
            options.Limits.Rules.Add(provider.Rule());
        }

        return options;
    }

    /// <summary>The demo's requests as <c>pacer run</c> input lines, spread over the providers by their shares.</summary>
    internal static List<string> Lines(int requests, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string>(requests);
        for (int i = 0; i < requests; i++)
        {
            DemoProvider provider = Pick(random.NextDouble());
            object body = provider.Name == "search"
                ? new { query = $"query {i}" }
                : new { model = $"{provider.Name}-demo", max_tokens = 16, messages = new[] { new { role = "user", content = $"Say hello to request {i}." } } };
            lines.Add(JsonSerializer.Serialize(new { id = i, lane = provider.Name, url = provider.Path, method = "POST", body }));
        }

        return lines;
    }

    private static DemoProvider Pick(double u)
    {
        foreach (DemoProvider provider in DemoProvider.All)
        {
            if (u < provider.Share)
            {
                return provider;
            }

            u -= provider.Share;
        }

        return DemoProvider.All[^1];
    }
}
