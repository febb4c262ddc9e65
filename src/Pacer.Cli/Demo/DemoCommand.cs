using System.CommandLine;

namespace Pacer.Cli.Demo;

/// <summary><c>pacer demo</c>: the simulator in-process with three providers, three lanes told their limits, a few hundred requests, live progress and a summary.</summary>
internal static class DemoCommand
{
    public static Command Create(CliIo io)
    {
        var requests = new Option<int>("--requests")
        {
            Description = "How many requests to send across the three providers.",
            DefaultValueFactory = _ => 300,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the requests' spread over the providers and of the simulated latencies.",
            DefaultValueFactory = _ => 7,
        };
        var progress = new Option<string>("--progress")
        {
            Description = "Progress on stderr: auto (live on a terminal, plain otherwise), live, plain (a line a second) or none.",
            DefaultValueFactory = _ => "auto",
        };
        progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");
        var output = new Option<string?>("--out", "-o") { Description = "Write the results to this file; by default they are dropped." };
        requests.CustomParser = WholeNumberFlag.Parser(1, 10_000, 300);
        seed.CustomParser = WholeNumberFlag.Parser(int.MinValue, int.MaxValue, 7);

        var command = new Command("demo", "Starts a local simulator with three rate-limited providers, sends a few hundred requests through three lanes told their limits, shows live progress per lane and a summary. Needs no configuration and no network but loopback.")
        {
            requests,
            seed,
            progress,
            output,
        };
        command.SetAction((parse, cancellationToken) =>
            new DemoRunner(parse.GetValue(requests), parse.GetValue(seed), parse.GetValue(progress)!, parse.GetValue(output), io).RunAsync(cancellationToken));
        return command;
    }
}
