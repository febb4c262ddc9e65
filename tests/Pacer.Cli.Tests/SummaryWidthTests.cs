namespace Pacer.Cli.Tests;

/// <summary>The summary's lane table fits 80 columns, whatever the lanes are called.</summary>
public sealed class SummaryWidthTests
{
    [Fact]
    public async Task The_lane_table_fits_80_columns_with_a_long_lane_name()
    {
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) => connection.RespondAsync(200, "{}", "Content-Type: application/json"));
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, $"""
            lanes:
              openai-gpt-4o-mini-2024-07-18-eu:
                baseUrl: {server.BaseUri}
                rps: 1000
                tpm: 1000000
            """);

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], $$"""{"url":"{{server.BaseUri}}x","cost":5}""" + "\n");

        Assert.Equal(0, run.ExitCode);
        string[] table = [.. run.Error.Split('\n').TakeWhile(l => !l.StartsWith("wall time", StringComparison.Ordinal))];
        Assert.Contains(table, l => l.StartsWith("openai-gpt-4…", StringComparison.Ordinal));
        Assert.All(table, l => Assert.True(l.TrimEnd('\r').Length <= 80, $"{l.Length} columns: {l}"));
    }
}
