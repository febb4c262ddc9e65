using System.CommandLine;

namespace Pacer.Cli.Demo;

/// <summary><c>pacer demo</c>: the simulator in-process with three providers, three lanes told their limits, a few hundred requests, live progress and a summary.</summary>
internal static class DemoCommand
{
    /// <summary>The requests of <c>--web</c>'s run: about half a minute to watch.</summary>
    private const int WebRequests = 2000;

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
        var web = new Option<bool>("--web") { Description = $"Serve the demo instead: the simulator, pacer serve and the live dashboard, with the requests ({WebRequests} unless --requests says otherwise) submitted as one run; prints the run's page and serves until Ctrl+C." };
        var urls = new Option<string>("--urls") { HelpName = "URLS", Description = "With --web: where the server listens (loopback only; port 0 takes a free port).", DefaultValueFactory = _ => Server.ServerOptions.DefaultUrls };
        requests.CustomParser = WholeNumberFlag.Parser(1, 10_000, 300);
        seed.CustomParser = WholeNumberFlag.Parser(int.MinValue, int.MaxValue, 7);

        var command = new Command("demo", "Starts a local simulator with three rate-limited providers, sends a few hundred requests through three lanes told their limits, shows live progress per lane and a summary. Needs no configuration and no network but loopback.")
        {
            requests,
            seed,
            progress,
            output,
            web,
            urls,
        };
        command.Validators.Add(r =>
        {
            bool serving = r.GetValue(web);
            if (serving && r.GetResult(output) is { Implicit: false })
            {
                r.AddError("--out does not apply to --web: the run's results are served at /api/runs/{id}/results.");
            }

            if (serving && r.GetResult(progress) is { Implicit: false })
            {
                r.AddError("--progress does not apply to --web: the progress is on the dashboard.");
            }

            if (!serving && r.GetResult(urls) is { Implicit: false })
            {
                r.AddError("--urls applies only to --web.");
            }
        });
        command.SetAction((parse, cancellationToken) => parse.GetValue(web)
            ? new WebDemo(parse.GetResult(requests) is { Implicit: false } ? parse.GetValue(requests) : WebRequests, parse.GetValue(seed), parse.GetValue(urls)!, io).RunAsync(cancellationToken)
            : new DemoRunner(parse.GetValue(requests), parse.GetValue(seed), parse.GetValue(progress)!, parse.GetValue(output), io).RunAsync(cancellationToken));
        return command;
    }
}
