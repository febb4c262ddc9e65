namespace Pacer.Cli.Tests;

/// <summary>The connections a run opens are bounded by its lanes, not by the values in its input.</summary>
public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task ManyDistinctPriorities_OpenNoMoreConnectionsThanTheLanesConcurrency()
    {
        const int Count = 200;
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}", "Content-Type: application/json"));
        string input = Requests.Lines(Enumerable.Range(0, Count).Select(i => $$"""{"id":{{i}},"url":"{{new Uri(server.BaseUri, $"p/{i}")}}","priority":{{i}}}"""));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--concurrency", "4", "--progress", "none"], input);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Count, CliRun.ReadResults(run.Out).Count(r => r.GetProperty("ok").GetBoolean()));
        Assert.InRange(server.ConnectionCount, 1, 4);
    }

    [Fact]
    public async Task AChildLane_OpensNoMoreConnectionsThanItsParentsConcurrency()
    {
        const int Count = 60;
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}", "Content-Type: application/json"));
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $"""
            lanes:
              api:
                baseUrl: {server.BaseUri}
                concurrency: 2
              api/slow:
                concurrency: 8
            """);
        string input = Requests.Lines(Enumerable.Range(0, Count).Select(i => $$"""{"id":{{i}},"url":"{{new Uri(server.BaseUri, $"p/{i}")}}","lane":"api/slow","priority":{{i % 7}}}"""));

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], input);

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Equal(Count, CliRun.ReadResults(run.Out).Count(r => r.GetProperty("ok").GetBoolean()));
        Assert.InRange(server.ConnectionCount, 1, 2);
    }
}
