using Pacer.Cli.Progress;

namespace Pacer.Cli.Tests;

/// <summary>The live view's lane table fits the terminal, keeps its width between frames, and reads without colour.</summary>
public sealed class LaneTableTests
{
    private static LaneLine Line(string name, string state, double fraction) =>
        new(name, "3/4", "19.8/s", "20/s, 1500 tok/s", "194/300", state, fraction);

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(160)]
    public void Every_line_fits_the_width_whatever_the_names_and_states(int width)
    {
        var table = new LaneTable(["openai/gpt-4o-mini-2024-07-18", "default", "la"], width);

        string[] lines =
        [
            table.Header(),
            table.Lane(Line("openai/gpt-4o-mini-2024-07-18", "paused 42s (Retry-After 11d13h46m39s, capped at 1h), 12 to retry, 300 queued", 0.5), totalKnown: true),
            table.Lane(Line("la", "idle", 0), totalKnown: false),
        ];

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Contains("openai/gpt-4o-min… ", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain('\n', string.Concat(lines));
    }

    [Fact]
    public void Columns_stay_where_they_are_between_frames()
    {
        var table = new LaneTable(["openai", "anthropic"], 80);

        string early = table.Lane(Line("openai", "running", 0.1), totalKnown: false);
        string late = table.Lane(Line("openai", "paused 1.2s (Retry-After 2s), 3 to retry", 0.9), totalKnown: true);

        // The state is the last column: everything before it sits at the same place in every frame.
        int stateAt = table.Header().IndexOf("state", StringComparison.Ordinal);
        Assert.Equal("running", early[stateAt..]);
        Assert.StartsWith("paused", late[stateAt..], StringComparison.Ordinal);
    }

    [Fact]
    public void Bars_read_without_colour()
    {
        Assert.Equal("████░░░░", LaneTable.Bar(0.5, 8, totalKnown: true));
        Assert.Equal("██······", LaneTable.Bar(0.25, 8, totalKnown: false));
        Assert.Equal("████████", LaneTable.Bar(1, 8, totalKnown: true));
    }

    [Fact]
    public void Below_80_columns_the_limit_goes_first()
    {
        string wide = new LaneTable(["openai"], 100).Header();
        string narrow = new LaneTable(["openai"], 64).Header();

        Assert.Contains("limit", wide, StringComparison.Ordinal);
        Assert.DoesNotContain("limit", narrow, StringComparison.Ordinal);
        Assert.Contains("state", narrow, StringComparison.Ordinal);
    }
}
