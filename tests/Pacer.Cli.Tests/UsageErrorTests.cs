namespace Pacer.Cli.Tests;

/// <summary>A mistyped command line names what was wrong once, and what was most likely meant.</summary>
public sealed class UsageErrorTests
{
    [Fact]
    public async Task Bare_pacer_prints_the_help_and_exits_0()
    {
        CliRun run = await CliRun.InvokeAsync([]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Commands:", run.Out, StringComparison.Ordinal);
        Assert.Contains("run", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task A_mistyped_option_suggests_the_one_meant_and_nothing_else()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "--rsp", "3", "requests.jsonl"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Unknown option '--rsp' for 'pacer run'; did you mean '--rps'?", lines[0]);
        Assert.Equal(2, lines.Length); // and the pointer to --help
    }

    [Fact]
    public async Task An_unknown_option_taken_for_the_input_file_is_an_unknown_option()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "--rps", "3", "--bogus"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("Unknown option '--bogus' for 'pacer run'.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_command_suggests_the_command_meant()
    {
        CliRun run = await CliRun.InvokeAsync(["rnu", "requests.jsonl"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("Unknown command 'rnu'; did you mean 'run'?", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_option_far_from_every_known_one_gets_no_guess()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "--frobnicate", "requests.jsonl"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("Unknown option '--frobnicate' for 'pacer run'.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", run.Error, StringComparison.Ordinal);
    }
}
