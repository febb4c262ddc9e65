using System.CommandLine;
using Pacer.Simulator;

namespace Pacer.Cli.Simulate;

/// <summary>
/// <c>pacer simulate</c>: runs the rate-limited simulator on 127.0.0.1 until Ctrl+C, with the same
/// flags as the simulator's own program (<see cref="SimulatorCommandLine"/>).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CliIo io)
    {
        var simulator = new SimulatorCommandLine();
        var command = new Command("simulate", SimulatorCommandLine.Description);
        simulator.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            SimulatorOptions options = simulator.GetOptions(parse);
            SimulatorHost host;
            try
            {
                host = await SimulatorHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                await io.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (IOException e)
            {
                await io.Error.WriteLineAsync($"Cannot listen on 127.0.0.1:{options.Port}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.SomeFailed;
            }

            await using (host.ConfigureAwait(false))
            {
                await io.Out.WriteLineAsync($"Pacer simulator listening on {host.BaseAddress} (Ctrl+C to stop)").ConfigureAwait(false);
                await io.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: stop the simulator.
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
