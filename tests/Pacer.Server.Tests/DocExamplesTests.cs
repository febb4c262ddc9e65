using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Pacer.Simulator;

namespace Pacer.Server.Tests;

/// <summary>
/// docs/server.md's curl examples, run as written (bash, curl and jq) against a real server on its
/// config block and the simulator the page starts; only the two addresses are replaced by the ports
/// the test got.
/// </summary>
public sealed partial class DocExamplesTests
{
    [Fact]
    public async Task EveryExampleOfTheServerPage_RunsAsWritten()
    {
        string page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "server.md"));
        string config = Blocks(page, "yaml").First();
        string script = string.Join("\n", Blocks(page, "sh"));
        await using SimulatorHost sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Limits = new SimulatorLimits { Default = new LimitOptions { RequestsPerSecond = 20 } },
            Latency = new LatencyOptions { Base = TimeSpan.FromMilliseconds(50) },
        });
        string simAddress = sim.BaseAddress.GetLeftPart(UriPartial.Authority);
        using var folder = new TempFolder();
        await using ServerProcess server = await ServerProcess.StartAsync(folder.Path, config.Replace("http://127.0.0.1:5080", simAddress, StringComparison.Ordinal));
        string serverAddress = server.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);
        string runnable = script
            .Replace("http://127.0.0.1:5080", simAddress, StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5000", serverAddress, StringComparison.Ordinal);

        (int exit, string output, string error) = await BashAsync(folder.Path, "set -eu\n" + runnable);

        Assert.True(exit == 0, $"the examples exited {exit}:\n{error}\n{output}");
        foreach (string expected in (string[])[
            "\"field\":\"limit\"", "HTTP/1.1 201 Created", "{\"index\":3,\"id\":\"q-4\",\"ok\":false", "\"status\": \"completed\"", "\"provider\": \"sim\"",
            "{\"index\":150,\"state\":\"cancelled\"}", "\"status\":\"cancelled\"", "is under no lane's baseUrl", "204\n", "{\"status\":\"ok\",\"apiKey\":false}",
            "/api/runs/{id}/jobs/{index}/cancel", "\"maxConcurrency\":4", "event: lanes", "\"state\":\"queued\"", "\"submitRun\":{\"id\":", "\"providers\":[{\"provider\":\"sim\"", "data: {\"data\":{\"runMetrics\"", "\"cancelJob\":{\"index\":199,\"state\":\"cancelled\"}", "\"processing_mode_used\":\"parallel\""])
        {
            Assert.True((output + error).Contains(expected, StringComparison.Ordinal), $"'{expected}' is not in what the examples wrote:\n{output}\n{error}");
        }
    }

    private static IEnumerable<string> Blocks(string page, string language) =>
        Fence().Matches(page).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value);

    private static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Pacer.slnx")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Pacer.slnx not found above the test assembly.");
    }

    private static async Task<(int Exit, string Output, string Error)> BashAsync(string folder, string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        using Process bash = Process.Start(start)!;
        Task<string> output = bash.StandardOutput.ReadToEndAsync();
        Task<string> error = bash.StandardError.ReadToEndAsync();
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        using var deadline = new CancellationTokenSource(ServerProcess.Deadline);
        try
        {
            await bash.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw;
        }

        return (bash.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
