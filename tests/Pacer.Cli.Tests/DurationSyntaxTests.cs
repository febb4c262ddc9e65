using Pacer.Shared;

namespace Pacer.Cli.Tests;

/// <summary>One duration grammar for every flag, every command and pacer.yaml.</summary>
public sealed class DurationSyntaxTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("30s", 30_000)]
    [InlineData("30S", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("00:00:01", 1_000)]
    [InlineData("01:30:00", 5_400_000)]
    [InlineData(" 20ms ", 20)]
    public void Durations_are_read(string text, long milliseconds)
    {
        Assert.True(DurationSyntax.TryParse(text, out TimeSpan value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("1x")]
    [InlineData("1min")]
    [InlineData("s")]
    [InlineData("1e300h")]
    [InlineData("99999999999999999999999999999999h")]
    [InlineData("-00:00:01")]
    public void Other_text_is_refused(string text) => Assert.False(DurationSyntax.TryParse(text, out _, allowZero: true));

    [Fact]
    public void Zero_is_read_only_where_it_is_allowed()
    {
        Assert.False(DurationSyntax.TryParse("0", out _));
        Assert.True(DurationSyntax.TryParse("0", out TimeSpan zero, allowZero: true));
        Assert.Equal(TimeSpan.Zero, zero);
        Assert.True(DurationSyntax.TryParse("0s", out _, allowZero: true));
    }

    [Fact]
    public void A_number_without_a_unit_gets_a_hint_and_an_endless_one_another()
    {
        Assert.Equal(" (a number needs a unit: 30s, 30ms or 30m)", DurationSyntax.Hint("30"));
        Assert.Equal(" (longer than any duration Pacer keeps)", DurationSyntax.Hint("1e300h"));
        Assert.Equal("", DurationSyntax.Hint("5x"));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "90s")]
    [InlineData(120_000, "2m")]
    [InlineData(3_600_000, "1h")]
    public void Durations_are_written_as_they_are_read(long milliseconds, string text)
    {
        Assert.Equal(text, DurationSyntax.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.True(DurationSyntax.TryParse(text, out TimeSpan back, allowZero: true));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }

    [Theory]
    [InlineData("run", "--timeout", "1m30s")]
    [InlineData("run", "--retry-delay", "1m30s")]
    [InlineData("simulate", "--latency", "1m30s")]
    public async Task Every_command_takes_1m30s(string command, string flag, string value)
    {
        // Parsed, not run: --help after the flag shows the command took its value.
        CliRun run = await CliRun.InvokeAsync([command, flag, value, "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task A_bare_number_for_a_flag_is_refused_with_the_hint()
    {
        CliRun run = await CliRun.InvokeAsync(["run", "-", "--timeout", "30"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--timeout must be a positive duration such as 30s, 500ms or 1m30s, got '30' (a number needs a unit: 30s, 30ms or 30m).", run.Error, StringComparison.Ordinal);
    }
}
