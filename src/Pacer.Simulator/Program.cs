using System.CommandLine;
using Pacer.Simulator;

var commandLine = new SimulatorCommandLine();
var root = new RootCommand(SimulatorCommandLine.Description);
commandLine.AddTo(root);
root.SetAction((parse, _) => RunAsync(commandLine.GetOptions(parse)));

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("See --help.");
    return 2;
}

// The host's own lifetime stops it on Ctrl+C or SIGTERM, so System.CommandLine leaves the signals alone.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);

static async Task<int> RunAsync(SimulatorOptions options)
{
    SimulatorHost host;
    try
    {
        host = await SimulatorHost.StartAsync(options, TimeProvider.System, logToConsole: true, CancellationToken.None).ConfigureAwait(false);
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
        return 2;
    }
    catch (IOException e)
    {
        await Console.Error.WriteLineAsync($"Cannot listen on 127.0.0.1:{options.Port}: {e.Message}").ConfigureAwait(false);
        return 1;
    }

    await using (host.ConfigureAwait(false))
    {
        Console.WriteLine($"Pacer simulator listening on {host.BaseAddress} (Ctrl+C to stop)");
        await host.WaitForStopSignalAsync().ConfigureAwait(false);
    }

    return 0;
}
