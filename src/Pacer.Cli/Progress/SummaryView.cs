using System.Globalization;
using Spectre.Console;

namespace Pacer.Cli.Progress;

/// <summary>The end-of-run summary on stderr: per lane, outcomes, retries, achieved rate against the limit, and wall time against the least the limits allow.</summary>
internal static class SummaryView
{
    public static void Write(EngineSnapshot snapshot, IEnumerable<string> laneNames, IReadOnlyDictionary<string, int> jobsPerLane, TimeSpan wall)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var table = new Table().Border(TableBorder.Simple).Title("[bold]summary[/]");
        table.AddColumns("lane", "succeeded", "failed", "retries", "achieved", "limit", "least time");
        double least = 0;
        foreach (string name in laneNames)
        {
            LaneSnapshot lane = snapshot.Lanes.Single(l => l.Name == name);
            int jobs = jobsPerLane.GetValueOrDefault(name);
            double? capacity = lane.Capacity;
            double laneLeast = capacity is > 0 and { } c ? jobs / c : 0;
            least = Math.Max(least, laneLeast);
            table.AddRow(
                name,
                lane.Succeeded.ToString(CultureInfo.InvariantCulture),
                lane.Failed.ToString(CultureInfo.InvariantCulture),
                lane.Retries.ToString(CultureInfo.InvariantCulture),
                $"{jobs / wall.TotalSeconds:0.0}/s",
                capacity is { } cap ? $"{cap:0.0}/s" : "-",
                $"{laneLeast:0.0}s");
        }

        console.Write(table);
        console.MarkupLine(CultureInfo.InvariantCulture, "wall time [bold]{0:0.00}s[/], least the limits allow {1:0.00}s", wall.TotalSeconds, least);
    }
}
