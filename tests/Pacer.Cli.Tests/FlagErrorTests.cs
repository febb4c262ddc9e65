namespace Pacer.Cli.Tests;

/// <summary>A flag given a value it cannot take gets one line that names it, and exit 2: never a stack trace.</summary>
public sealed class FlagErrorTests
{
    [Theory]
    [InlineData(new[] { "run", "-", "--window", "abc" }, "--window must be a whole number from 1, got 'abc'.")]
    [InlineData(new[] { "run", "-", "--window", "0" }, "--window must be a whole number from 1, got '0'.")]
    [InlineData(new[] { "run", "-", "--concurrency", "-3" }, "--concurrency must be a whole number from 1, got '-3'.")]
    [InlineData(new[] { "run", "-", "--rps", "--burst", "2" }, "--rps needs a whole number from 1 after it, got the flag '--burst'.")]
    [InlineData(new[] { "run", "-", "--rps", "99999999999999999999" }, "--rps must be a whole number from 1, got '99999999999999999999'.")]
    [InlineData(new[] { "run", "-", "--rpm", "1.5" }, "--rpm must be a whole number from 1, got '1.5'.")]
    [InlineData(new[] { "run", "-", "--burst", "x" }, "--burst must be a whole number from 0, got 'x'.")]
    [InlineData(new[] { "run", "-", "--tpm", "0" }, "--tpm must be a whole number from 1, got '0'.")]
    [InlineData(new[] { "run", "-", "--retries", "x" }, "--retries must be a whole number from 0, got 'x'.")]
    [InlineData(new[] { "demo", "--requests", "abc" }, "--requests must be a whole number from 1 to 10000, got 'abc'.")]
    [InlineData(new[] { "demo", "--requests", "20000" }, "--requests must be a whole number from 1 to 10000, got '20000'.")]
    [InlineData(new[] { "demo", "--seed", "x" }, "--seed must be a whole number, got 'x'.")]
    public async Task A_bad_number_is_one_line_that_names_the_flag(string[] args, string error)
    {
        CliRun run = await CliRun.InvokeAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([error, "Run 'pacer COMMAND --help' for the options."], lines);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Every_bad_number_is_named_even_beside_other_mistakes()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--window", "abc", "--concurrency", "0", "--rps", "5", "--rpm", "6"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--window must be a whole number from 1, got 'abc'.", run.Error, StringComparison.Ordinal);
        Assert.Contains("--concurrency must be a whole number from 1, got '0'.", run.Error, StringComparison.Ordinal);
    }
}

/// <summary><c>--burst 0</c> and <c>burst: 0</c> mean no burst, as nginx writes it: one start at a time.</summary>
public sealed class NoBurstTests
{
    [Fact]
    public async Task Burst_0_spaces_starts_as_burst_1_does()
    {
        string input = string.Concat(Enumerable.Range(0, 10).Select(i => $$"""{"url":"http://127.0.0.1:1/{{i}}"}""" + "\n"));

        CliRun zero = await CliRun.InvokeAsync(["run", "-", "--rps", "2", "--burst", "0", "--dry-run"], input);
        CliRun one = await CliRun.InvokeAsync(["run", "-", "--rps", "2", "--burst", "1", "--dry-run"], input);

        Assert.Equal(0, zero.ExitCode);
        Assert.Equal(one.Out, zero.Out);
        Assert.Contains("4.50s", zero.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Burst_0_in_pacer_yaml_is_no_burst()
    {
        using var dir = new TempDir();
        string config = dir.File("pacer.yaml");
        await File.WriteAllTextAsync(config, "lanes:\n  api:\n    rps: 2\n    burst: 0\n");

        CliRun run = await CliRun.InvokeAsync(["validate", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("2/s (burst 1)", run.Out, StringComparison.Ordinal);
    }
}
