using System.Text.Json;
using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary>Which answers are retried and after what backoff: the retry flags and a lane's <c>retry:</c> section.</summary>
public sealed class RetryTests
{
    private static Task<SimulatorHost> StartFailingAsync() =>
        SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Faults = { ServerErrorRatio = 1 } });

    [Fact]
    public async Task RetryOn_OnlyTheNamedStatusesAreRetried()
    {
        await using SimulatorHost host = await StartFailingAsync();
        string input = Requests.Lines([Requests.Echo(host, 0)]);

        CliRun notRetried = await CliRun.InvokeAsync(["run", "-", "--retry-on", "429,503", "--retries", "3", "--progress", "none"], input);
        long afterFirst = host.GetStats().Total.Requests;
        CliRun retried = await CliRun.InvokeAsync(["run", "-", "--retries", "2", "--retry-delay", "0", "--progress", "none"], input);

        Assert.Equal(1, notRetried.ExitCode);
        JsonElement once = Assert.Single(CliRun.ReadResults(notRetried.Out));
        Assert.Equal(500, once.GetProperty("status").GetInt32());
        Assert.Equal(1, once.GetProperty("attempts").GetInt32());
        Assert.Equal(1, afterFirst);

        Assert.Equal(1, retried.ExitCode);
        JsonElement thrice = Assert.Single(CliRun.ReadResults(retried.Out));
        Assert.Equal(500, thrice.GetProperty("status").GetInt32());
        Assert.Equal(3, thrice.GetProperty("attempts").GetInt32());
        Assert.Equal(4, host.GetStats().Total.Requests);
    }

    [Fact]
    public async Task ConfigRetrySection_SetsStatusesAndBackoff_PerLane()
    {
        await using SimulatorHost host = await StartFailingAsync();
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $"""
            lanes:
              strict:
                baseUrl: {new Uri(host.BaseAddress, "echo")}
                retry:
                  retries: 3
                  statuses: [503, 429]
              eager:
                retries: 1
                retry:
                  baseDelay: 0
            """);
        string input = Requests.Lines([Requests.Echo(host, 0), Requests.Echo(host, 1).Replace("\"method\"", "\"lane\":\"eager\",\"method\"", StringComparison.Ordinal)]);

        CliRun validate = await CliRun.InvokeAsync(["validate", config]);
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], input);

        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("strict\n", validate.Out, StringComparison.Ordinal);
        Assert.Contains("3 retries on 429, 503; backoff 1s to 30s", validate.Out, StringComparison.Ordinal);
        Assert.Contains("1 retry on 408, 429, 500, 502, 503, 504; backoff 0s to 30s", validate.Out, StringComparison.Ordinal);
        List<JsonElement> results = CliRun.ReadResults(run.Out);
        Assert.Equal([1, 2], results.Select(r => r.GetProperty("attempts").GetInt32()));
        Assert.Equal(["strict", "eager"], results.Select(r => r.GetProperty("lane").GetString()));
    }

    [Fact]
    public async Task ConfigRetryErrors_NameTheLaneAndKey()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, """
            lanes:
              a:
                retries: 3
                retry:
                  retries: 2
                  statuses: [200, 429]
                  baseDelay: 10s
                  maxDelay: 5s
              b:
                retry:
                  baseDelay: soon
            """);

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("lane 'a': give retries or retry.retries, not both.", run.Error, StringComparison.Ordinal);
        Assert.Contains("lane 'a': retry.statuses must be HTTP error statuses from 400 to 599, got 200.", run.Error, StringComparison.Ordinal);
        Assert.Contains("lane 'a': retry.maxDelay must be at least retry.baseDelay (10s), got 5s.", run.Error, StringComparison.Ordinal);
        Assert.Contains("lane 'b': retry.baseDelay must be a duration", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKey_IsNamedWithTheKeysItsPlaceTakes()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  a:\n    retry:\n      tries: 3\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 4, column 7: lane 'a': unknown key 'tries' in retry (did you mean 'retries'?); retry takes retries, statuses, baseDelay, maxDelay.", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--retry-on", "429,abc")]
    [InlineData("--retry-on", "200")]
    [InlineData("--retry-delay", "soon")]
    [InlineData("--retry-delay", "5s", "--retry-max-delay", "1s")]
    [InlineData("--retries", "-1")]
    [InlineData("--config", "pacer.yaml", "--retry-on", "429")]
    public async Task BadRetryFlags_AreUsageErrors_NamingTheFlag(params string[] extra)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", .. extra], "");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(extra.Length > 2 ? extra[^2] : extra[0], run.Error, StringComparison.Ordinal);
    }
}
