using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pacer.Cli.Progress;

/// <summary>A live table on the terminal, redrawn four times a second: a row per lane, an overall line and the last completions.</summary>
internal sealed class LiveProgressView(ProgressState state, TextWriter error) : ProgressView(state)
{
    private const int RecentCount = 5;
    private const int BarWidth = 40;
    private const int LaneBarWidth = 8;

    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        await console.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            while (await TickAsync(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false))
            {
                context.UpdateTarget(Render());
            }

            context.UpdateTarget(Render());
        }).ConfigureAwait(false);
    }

    private Rows Render()
    {
        EngineSnapshot snapshot = State.Engine.GetSnapshot();
        DateTimeOffset now = State.Time.GetUtcNow();
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in (string[])["lane", "active", "rate now", "limit", "done", "state"])
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (LaneSnapshot lane in Lanes(snapshot))
        {
            LaneLine line = State.Lane(lane, now);
            table.AddRow(Markup.Escape(line.Name), line.Active, line.RateNow, Markup.Escape(line.Limit), $"{BarMarkup(line.DoneFraction, LaneBarWidth, State.InputComplete)} {line.Done}", Markup.Escape(line.State));
        }

        var rows = new List<IRenderable> { table, Bar(), new Markup($"[bold]{Markup.Escape(State.Overall(snapshot))}[/]") };
        rows.AddRange(State.Recent.Describe(RecentCount).Select(r => new Markup($"[grey]{Markup.Escape(r)}[/]")));
        return new Rows(rows);
    }

    /// <summary>The overall bar: done of the lines read so far (dashed while the input is still being read).</summary>
    private Markup Bar()
    {
        (long done, long total) = State.Counts();
        double fraction = total == 0 ? 0 : (double)done / total;
        return new Markup($"{BarMarkup(fraction, BarWidth, State.InputComplete)} {100 * fraction:0}%");
    }

    /// <summary>A bar of <paramref name="width"/> cells, <paramref name="fraction"/> of them green; the rest grey, dashed unless <paramref name="done"/> (the total is final).</summary>
    private static string BarMarkup(double fraction, int width, bool done)
    {
        int filled = Math.Clamp((int)(width * fraction), 0, width);
        return $"[green]{new string('━', filled)}[/][grey]{new string(done ? '━' : '╌', width - filled)}[/]";
    }
}
