using System.Text.Json;
using Pacer.Cli.Config;
using Pacer.Simulator;

namespace Pacer.Cli.Tests;

public sealed class ConfigTests
{
    [Fact]
    public async Task Run_WithConfig_PicksEachRequestsLane_ByFieldOrBaseUrl()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0 });
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        Environment.SetEnvironmentVariable("PACER_CLI_TEST_KEY", "k-123");
        await File.WriteAllTextAsync(config, $"""
            lanes:
              echo:
                baseUrl: {new Uri(host.BaseAddress, "echo")}
                rps: 50
                burst: 5
                concurrency: 4
                headers:
                  x-api-key: ${"{"}PACER_CLI_TEST_KEY{"}"}
              listing:
                baseUrl: {new Uri(host.BaseAddress, "api/")}
                rpm: 600
                burst: 10
                retries: 0
            """);
        string echo = new Uri(host.BaseAddress, "echo").ToString();
        string input = Requests.Lines(
        [
            $$$"""{"url":"{{{echo}}}","method":"POST","body":{"n":0}}""",
            $$"""{"url":"projects?limit=1","lane":"listing"}""",
            $$"""{"url":"{{new Uri(host.BaseAddress, "api/projects?limit=2")}}"}""",
            """{"url":"http://127.0.0.1:1/elsewhere"}""",
        ]);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], input);

        Assert.Equal(1, run.ExitCode);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal(["echo", "listing", "listing"], results.Take(3).Select(r => r.GetProperty("lane").GetString()));
        Assert.All(results.Take(3), r => Assert.True(r.GetProperty("ok").GetBoolean()));
        Assert.StartsWith("line 4: no lane's baseUrl", results[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, host.GetStats().Total.Requests);
        Assert.Contains("listing", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_ExpandsEnvironmentVariables_AndNamesMissingOnes()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, """
            lanes:
              openai:
                baseUrl: https://api.example.com/v1
                headers:
                  Authorization: Bearer ${KEY}
                  X-Other: ${MISSING}
            """);
        var errors = new List<string>();

        Assert.Null(ConfigLoader.Load(config, name => name == "KEY" ? "sk-1" : null, errors));
        Assert.Contains(errors, e => e.Contains("'MISSING' is not set", StringComparison.Ordinal));

        errors.Clear();
        IReadOnlyList<LaneConfig>? lanes = ConfigLoader.Load(config, name => name == "MISSING" ? "x" : "sk-1", errors);
        Assert.Empty(errors);
        LaneConfig lane = Assert.Single(lanes!);
        Assert.Equal("Bearer sk-1", lane.Headers.Single(h => h.Key == "Authorization").Value);
        Assert.Equal("https://api.example.com/v1/", lane.BaseUrl!.ToString());
        Assert.True(lane.Covers(new Uri("https://api.example.com/v1/chat/completions")));
        Assert.False(lane.Covers(new Uri("https://api.example.com/v2/chat/completions")));
    }

    [Fact]
    public async Task Validate_AGoodConfig_Exits0()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, """
            lanes:
              openai:
                baseUrl: https://api.example.com/v1
                rpm: 500
                tpm: 90000
                concurrency: 16
                timeout: 30s
              openai/gpt-4o:
                rps: 2
            """);

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2 lanes, valid.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ABadConfig_NamesEachProblem_AndExits2()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, """
            lanes:
              a:
                baseUrl: not a url
                rps: 5
                rpm: 5
                timeout: soon
              b:
                concurrency: 0
            """);

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("lane 'a': baseUrl", run.Error, StringComparison.Ordinal);
        Assert.Contains("lane 'a': give rps or rpm", run.Error, StringComparison.Ordinal);
        Assert.Contains("lane 'a': timeout", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_LimitsOutOfRange_AreReportedInTheFilesWords()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  b:\n    concurrency: 0\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 3, column 18: lane 'b': concurrency must be a whole number from 1 up, got 0.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownKeys_AndMissingFiles_Exit2()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  b:\n    rsp: 5\n");

        CliRun unknown = await CliRun.InvokeAsync(["validate", config]);
        CliRun missing = await CliRun.InvokeAsync(["validate", dir.File("nope.yaml")]);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("rsp", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public async Task Config_WithLimitFlags_IsAUsageError()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", "pacer.yaml", "--rps", "5"], "");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--rps cannot be combined with --config", run.Error, StringComparison.Ordinal);
    }
}
