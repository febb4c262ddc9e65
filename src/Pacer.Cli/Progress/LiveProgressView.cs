using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pacer.Cli.Progress;

/// <summary>A live table on the terminal, redrawn four times a second: a row per lane, an overall line and the last completions.</summary>
internal sealed class LiveProgressView(ProgressState state, TextWriter error) : ProgressView(state)
{
    private const int RecentCount = 5;
    private const int BarWidth = 40;

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
        table.AddColumns("lane", "active", "rate now", "limit", "done", "state");
        foreach (LaneSnapshot lane in Lanes(snapshot))
        {
            LaneLine line = State.Lane(lane, now);
            table.AddRow(Markup.Escape(line.Name), line.Active, line.RateNow, Markup.Escape(line.Limit), line.Done, Markup.Escape(line.State));
        }

        var rows = new List<IRenderable> { table, Bar(), new Markup($"[bold]{Markup.Escape(State.Overall(snapshot))}[/]") };
        rows.AddRange(State.Recent.Describe(RecentCount).Select(r => new Markup($"[grey]{Markup.Escape(r)}[/]")));
        return new Rows(rows);
    }

    /// <summary>The overall bar: done of the lines read so far (striped while the input is still being read).</summary>
    private Markup Bar()
    {
        (long done, long total) = State.Counts();
        int filled = total == 0 ? 0 : (int)(BarWidth * done / total);
        string rest = new(State.InputComplete ? '━' : '╌', BarWidth - filled);
        return new Markup($"[green]{new string('━', filled)}[/][grey]{rest}[/] {(total == 0 ? 0 : 100.0 * done / total):0}%");
    }
}
