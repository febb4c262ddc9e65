using System.CommandLine;

namespace Pacer.Cli.Demo;

/// <summary><c>pacer demo</c>: three lanes with different limits, a few hundred jobs, live progress and a summary.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs")
        {
            Description = "How many jobs to run across the three lanes.",
            DefaultValueFactory = _ => 300,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the simulated latencies and rate-limit answers.",
            DefaultValueFactory = _ => 7,
        };
        var progress = new Option<string>("--progress")
        {
            Description = "How progress is shown on stderr: auto (live table on a terminal, a line a second otherwise), live, plain or none.",
            DefaultValueFactory = _ => "auto",
        };
        progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");
        jobs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError($"--jobs must be between 1 and 100000, got {result.GetValueOrDefault<int>()}.");
            }
        });

        var command = new Command("demo", "Runs a short engine demo: three simulated providers with different limits, live progress per lane, and a summary. Needs no configuration and no network.")
        {
            jobs,
            seed,
            progress,
        };
        command.SetAction((parse, cancellationToken) =>
            new DemoRunner(parse.GetValue(jobs), parse.GetValue(seed), parse.GetValue(progress)!).RunAsync(cancellationToken));
        return command;
    }
}
