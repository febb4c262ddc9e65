namespace Pacer.Cli.Tests;

/// <summary>A pause the service asks for is shown: when it begins and ends, and in the summary, with why and whether it was cut to the bound.</summary>
public sealed class PauseDisplayTests
{
    [Fact]
    public async Task A_long_retry_after_is_cut_to_max_pause_and_said_in_the_progress_and_the_summary()
    {
        int answered = 0;
        await using RawHttpServer server = RawHttpServer.Answering((_, connection) =>
            Interlocked.Increment(ref answered) == 1
                ? connection.RespondAsync(429, "{}", "Retry-After: 999999", "Content-Type: application/json")
                : connection.RespondAsync(200, "{}", "Content-Type: application/json"));
        string input = $$"""
            {"id":1,"url":"{{server.BaseUri}}a"}
            {"id":2,"url":"{{server.BaseUri}}b"}

            """;

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--concurrency", "1", "--max-pause", "300ms", "--progress", "plain"], input);

        // The first request gives up (its Retry-After is past the longest a request waits); the lane
        // pauses 300 ms, not 11 days, and the second goes after it.
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("lane default paused 300ms: Retry-After 11d13h46m39s, capped at 300ms", run.Error, StringComparison.Ordinal);
        Assert.Contains("lane default resumed after 300ms", run.Error, StringComparison.Ordinal);
        Assert.Contains("  paused once, 300ms in all, as the service asked; the longest: Retry-After 11d13h46m39s, capped at 300ms (1 cut to the lane's bound, --max-pause or maxPause)", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1s")]
    [InlineData("745h")]
    public async Task A_bad_max_pause_is_named(string value)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--max-pause", value, "--progress", "none"], "");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"--max-pause must be a duration from 0 to 744h (31 days) such as 5m or 1h, got '{value}'.", run.Error, StringComparison.Ordinal);
    }
}

/// <summary><c>maxPause</c> in <c>pacer.yaml</c>: listed by validate, bounded like the flag.</summary>
public sealed class MaxPauseConfigTests
{
    [Fact]
    public async Task Max_pause_is_listed_and_an_out_of_range_one_is_named_with_its_place()
    {
        using var dir = new TempDir();
        string good = dir.File("good.yaml");
        string bad = dir.File("bad.yaml");
        await File.WriteAllTextAsync(good, "lanes:\n  api:\n    rps: 5\n    maxPause: 5m\n");
        await File.WriteAllTextAsync(bad, "lanes:\n  api:\n    rps: 5\n    maxPause: 800h\n");

        CliRun listed = await CliRun.InvokeAsync(["validate", good]);
        CliRun refused = await CliRun.InvokeAsync(["validate", bad]);

        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("pauses at most 5m", listed.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("line 4, column 15: lane 'api': maxPause must be at most 744h, got '800h'.", refused.Error, StringComparison.Ordinal);
        Assert.Contains("maxPause", refused.Error, StringComparison.Ordinal);
    }
}
