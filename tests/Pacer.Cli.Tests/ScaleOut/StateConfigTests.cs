namespace Pacer.Cli.Tests.ScaleOut;

/// <summary>
/// <c>state:</c> in pacer.yaml, for the file or a lane: what <c>pacer validate</c> lists (passwords
/// masked, nothing connected), and each mistake named with its line, column and the value given.
/// </summary>
public sealed class StateConfigTests
{
    private static async Task<CliRun> ValidateAsync(TempDir dir, string yaml)
    {
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, yaml);
        return await CliRun.InvokeAsync(["validate", config]);
    }

    [Fact]
    public async Task TheFilesStateIsEveryLanes_ALanesOwnWins_PasswordsMasked()
    {
        using var dir = new TempDir();

        Environment.SetEnvironmentVariable("PACER_STATE_TEST_PASSWORD", "hunter2");
        CliRun run = await ValidateAsync(dir, """
            state: redis://:${PACER_STATE_TEST_PASSWORD}@redis.internal:6380/2
            lanes:
              openai:
                rps: 20
              mine:
                rps: 5
                state: postgres://pacer:s3cret@db.internal/pacer?sslmode=require
                leaseTime: 30s
              alone:
                rps: 1
                state: local
            """);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  state        redis://***@redis.internal:6380/2  (the file's)", run.Out);
        Assert.Contains("  state        postgres://***@db.internal/pacer?sslmode=***; leases of 30s", run.Out);
        Assert.Contains("  state        local", run.Out);
        Assert.DoesNotContain("hunter2", run.Out + run.Error);
        Assert.DoesNotContain("s3cret", run.Out + run.Error);
    }

    [Theory]
    [InlineData("state: http://redis.internal\n", "state must be redis://[user:password@]host[:port][/database], postgres://[user:password@]host[:port]/database, or local, got 'http://redis.internal' (scheme 'http').")]
    [InlineData("state: redis\n", "state must be redis://[user:password@]host[:port][/database], postgres://[user:password@]host[:port]/database, or local, got 'redis'.")]
    [InlineData("state: postgres://pacer@db.internal\n", "state must name a database after the host, as in postgres://user@db.internal/pacer.")]
    [InlineData("state: postgres://pacer@db.internal/pacer?nosuchoption=1\n", "state has an option Npgsql does not take: 'nosuchoption'")]
    public async Task AStateThatIsNotOne_IsNamedWithWhatWasGiven(string line, string error)
    {
        using var dir = new TempDir();

        CliRun run = await ValidateAsync(dir, "lanes:\n  api:\n    rps: 5\n    " + line);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 4, column 12: lane 'api': " + error, run.Error);
    }

    [Fact]
    public async Task AdaptiveWithASharedState_IsRefused_LeaseTimeOutOfRangeToo()
    {
        using var dir = new TempDir();

        CliRun run = await ValidateAsync(dir, "lanes:\n  api:\n    rps: 5\n    adaptive: true\n    state: redis://localhost\n    leaseTime: 500ms\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("line 5, column 12: lane 'api': adaptive and a shared state cannot go together: an adaptive lane learns its rate alone.", run.Error);
        Assert.Contains("line 6, column 16: lane 'api': leaseTime must be from 1s to 1h, such as 10s, got 500ms.", run.Error);
    }

    [Fact]
    public async Task StateDown_ForTheFileOrALane_IsListed()
    {
        using var dir = new TempDir();

        CliRun run = await ValidateAsync(dir, """
            state: redis://redis.internal
            stateDown: 25%
            lanes:
              openai:
                rps: 20
              github:
                rps: 5
                stateDown: 0.5
              waits:
                rps: 5
                stateDown: pause
              alone:
                rps: 1
                state: local
            """);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("  state        redis://redis.internal  (the file's); while it is down, 25% of the limits alone", run.Out);
        Assert.Contains("  state        redis://redis.internal  (the file's); while it is down, 50% of the limits alone", run.Out);
        Assert.Contains("  state        redis://redis.internal  (the file's); while it is down, the lane waits", run.Out);
        Assert.Contains("  state        local\n", run.Out.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("stateDown: 0%", "line 5, column 16: lane 'api': stateDown must be pause, or the share of the limits to keep alone, such as 25% or 0.25 (above 0, at most 100% or 1), got '0%'.")]
    [InlineData("stateDown: 150%", "line 5, column 16: lane 'api': stateDown must be pause, or the share of the limits to keep alone, such as 25% or 0.25 (above 0, at most 100% or 1), got '150%'.")]
    [InlineData("stateDown: half", "line 5, column 16: lane 'api': stateDown must be pause, or the share of the limits to keep alone, such as 25% or 0.25 (above 0, at most 100% or 1), got 'half'.")]
    [InlineData("stateDown: -0.5", "line 5, column 16: lane 'api': stateDown must be pause, or the share of the limits to keep alone, such as 25% or 0.25 (above 0, at most 100% or 1), got -0.5.")]
    public async Task AStateDownThatIsNotOne_IsNamedWithWhatWasGiven(string line, string error)
    {
        using var dir = new TempDir();

        CliRun run = await ValidateAsync(dir, "lanes:\n  api:\n    rps: 5\n    state: redis://localhost\n    " + line + "\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(error, run.Error);
    }

    [Fact]
    public async Task StateDown_WithNoSharedState_IsRefused()
    {
        using var dir = new TempDir();

        CliRun lane = await ValidateAsync(dir, "lanes:\n  api:\n    rps: 5\n    stateDown: 25%\n");
        CliRun file = await ValidateAsync(dir, "stateDown: 25%\nlanes:\n  api:\n    rps: 5\n");

        Assert.Equal(2, lane.ExitCode);
        Assert.Contains("line 4, column 16: lane 'api': stateDown needs a shared state (state: redis://… or postgres://…, on the lane or for the whole file)", lane.Error);
        Assert.Equal(2, file.ExitCode);
        Assert.Contains("line 1, column 12: stateDown needs a shared state", file.Error);
    }

    [Fact]
    public async Task RunWithAStoreThatCannotBeReached_SaysWhichAndSendsNothing()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  api:\n    rps: 5\n    state: postgres://pacer:s3cret@127.0.0.1:1/pacer\n");

        CliRun run = await CliRun.InvokeAsync(["run", "-", "--config", config, "--progress", "none"], """{"url":"http://127.0.0.1:1/x"}""" + "\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("lane 'api': state postgres://***@127.0.0.1:1/pacer cannot be reached:", run.Error);
        Assert.DoesNotContain("s3cret", run.Error);
    }
}
