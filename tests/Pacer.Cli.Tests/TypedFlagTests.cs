namespace Pacer.Cli.Tests;

/// <summary>
/// Durations, sizes and status lists are read once, by a parser that checks them as it reads:
/// help shows their defaults as they are written, and a value read is the value used.
/// </summary>
public sealed class TypedFlagTests
{
    [Fact]
    public async Task Help_shows_each_default_as_a_user_writes_it()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "--help"]);
        CliRun serve = await CliRun.InvokeAsync(["serve", "--help"]);

        foreach (string shown in (string[])["[default: 20ms]", "[default: 1h]", "[default: 1s]", "[default: 408,429,500,502,503,504]", "[default: 8MiB]"])
        {
            Assert.Contains(shown, run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("[default: 64MiB]", serve.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout", "1m30s")]
    [InlineData("--retry-delay", "0")]
    [InlineData("--retry-max-delay", "2m")]
    [InlineData("--margin", "0")]
    [InlineData("--max-pause", "744h")]
    [InlineData("--max-body", "1KiB")]
    [InlineData("--retry-on", "none")]
    [InlineData("--retry-on", "429, 503")]
    public async Task A_value_in_range_is_taken(string flag, string value)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--rps", "2", flag, value, "--dry-run"], """{"url":"http://127.0.0.1:1/"}""" + "\n");

        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Theory]
    [InlineData("--margin", "61m", "--margin must be a duration from 0 to 1h such as 20ms, got '61m'.")]
    [InlineData("--max-pause", "745h", "--max-pause must be a duration from 0 to 744h (31 days) such as 5m or 1h, got '745h'.")]
    [InlineData("--timeout", "0", "--timeout must be a positive duration such as 30s, 500ms or 1m30s, got '0'.")]
    [InlineData("--retry-max-delay", "soon", "--retry-max-delay must be a duration such as 500ms, 1s or 1m30s, or 0, got 'soon'.")]
    [InlineData("--max-body", "0", "--max-body must be a size from 1 byte to 2047MiB such as 8MiB, 512KiB or 1000000, got '0'.")]
    [InlineData("--retry-on", "429;503", "--retry-on must be statuses separated by commas, such as 429,503, or none, got '429;503'.")]
    public async Task A_value_out_of_range_is_one_error_that_names_the_flag(string flag, string value, string error)
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--rps", "2", flag, value, "--dry-run"], """{"url":"http://127.0.0.1:1/"}""" + "\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
    }
}
