using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pacer.Cli.Progress;

/// <summary>
/// A live table on the terminal, redrawn four times a second: a row per lane (see <see cref="LaneTable"/>),
/// an overall bar and line, and the last results. Laid out once, at the terminal's width, so that it
/// never changes width while it runs.
/// </summary>
internal sealed class LiveProgressView(ProgressState state, TextWriter error) : ProgressView(state)
{
    private const int RecentCount = 5;
    private const int OverallBarWidth = 40;

    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        var table = new LaneTable(State.Tallies.Keys, console.Profile.Width);
        await console.Live(Render(table)).AutoClear(false).StartAsync(async context =>
        {
            while (await TickAsync(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false))
            {
                context.UpdateTarget(Render(table));
            }

            context.UpdateTarget(Render(table));
        }).ConfigureAwait(false);
    }

    private Rows Render(LaneTable table) => new([.. Frame(table).Select(line => line.Style is { } style
        ? (IRenderable)new Text(line.Text, style)
        : new Text(line.Text))]);

    /// <summary>One frame as lines of text, each at most the table's width; bars and counts read without colour.</summary>
    internal IReadOnlyList<(string Text, Style? Style)> Frame(LaneTable table)
    {
        EngineSnapshot snapshot = State.Engine.GetSnapshot();
        DateTimeOffset now = State.Time.GetUtcNow();
        var lines = new List<(string, Style?)> { (table.Header(), new Style(decoration: Decoration.Bold)) };
        foreach (LaneSnapshot lane in Lanes(snapshot))
        {
            lines.Add((table.Lane(State.Lane(lane, now), State.InputComplete), null));
        }

        (long done, long total) = State.Counts();
        double fraction = total == 0 ? 0 : (double)done / total;
        lines.Add((Cut($"{LaneTable.Bar(fraction, Math.Min(OverallBarWidth, table.Width - 6), State.InputComplete)} {100 * fraction,3:0}%", table.Width), new Style(Color.Green)));
        lines.Add((Cut(State.Overall(snapshot), table.Width), new Style(decoration: Decoration.Bold)));
        lines.AddRange(State.Recent.Describe(RecentCount).Select(r => (Cut(r, table.Width), (Style?)new Style(Color.Grey))));
        return lines;
    }

    private static string Cut(string text, int width) => text.Length > width ? text[..(width - 1)] + "…" : text;
}
