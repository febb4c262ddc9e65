using Pacer.Simulator;

CommandLineResult parsed;
try
{
    parsed = SimulatorCommandLine.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (parsed.ShowHelp)
{
    Console.WriteLine(SimulatorCommandLine.Usage);
    return 0;
}

SimulatorHost host;
try
{
    host = await SimulatorHost.StartAsync(parsed.Options, logToConsole: true, CancellationToken.None).ConfigureAwait(false);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (IOException e)
{
    Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{parsed.Options.Port}: {e.Message}");
    return 1;
}

await using (host.ConfigureAwait(false))
{
    Console.WriteLine($"Pacer simulator listening on {host.BaseAddress} (Ctrl+C to stop)");
    await host.WaitForStopSignalAsync().ConfigureAwait(false);
}

return 0;
