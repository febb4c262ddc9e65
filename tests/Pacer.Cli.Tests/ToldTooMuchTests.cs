using Pacer.Simulator;

namespace Pacer.Cli.Tests;

/// <summary>Told more than the service takes, the summary says so, and what to give instead.</summary>
public sealed class ToldTooMuchTests
{
    [Fact]
    public async Task Many_429s_and_a_stated_limit_below_the_told_one_are_said_with_what_to_give()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Limits = { Default = { RequestsPerSecond = 20 } } });
        string url = new Uri(host.BaseAddress, "v1/chat/completions").ToString();
        string input = string.Concat(Enumerable.Range(0, 100).Select(i => $$"""{"model":"m","max_tokens":4,"messages":[{"role":"user","content":"q{{i}}"}]}""" + "\n"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--url", url, "--rps", "40", "--concurrency", "20", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("lane default: the service stated a limit of 20/s, below the 40/s it was told; give --rps 20.", run.Error, StringComparison.Ordinal);
        // Told twice the limit, the service refuses some: the count is the service's own.
        long refused = host.GetStats().Total.CountOf(429);
        Assert.True(refused >= 3, $"the service refused only {refused}");
        Assert.Contains($"lane default: {refused} answers were 429 Too Many Requests, for 100 requests: the service takes less than the lane was told; run with --adaptive", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Told_the_truth_the_summary_gives_no_advice()
    {
        await using SimulatorHost host = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Limits = { Default = { RequestsPerSecond = 20 } } });
        string url = new Uri(host.BaseAddress, "v1/chat/completions").ToString();
        string input = string.Concat(Enumerable.Range(0, 30).Select(i => $$"""{"model":"m","max_tokens":4,"messages":[{"role":"user","content":"q{{i}}"}]}""" + "\n"));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--url", url, "--rps", "20", "--concurrency", "4", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("stated a limit", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("takes less than the lane was told", run.Error, StringComparison.Ordinal);
    }
}
