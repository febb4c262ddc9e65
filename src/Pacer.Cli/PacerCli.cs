using System.CommandLine;
using Pacer.Cli.Demo;
using Pacer.Cli.Run;
using Pacer.Cli.Serve;
using Pacer.Cli.Simulate;
using Pacer.Cli.Validate;
using Pacer.Cli.Worker;

namespace Pacer.Cli;

/// <summary>The <c>pacer</c> command line, callable with any streams and cancellation token.</summary>
internal static class PacerCli
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code. Usage errors exit with 2.</summary>
    /// <param name="handleSignals">Whether SIGINT and SIGTERM cancel the command (see <see cref="SignalCancellation"/>), as for the process itself.</param>
    public static async Task<int> InvokeAsync(string[] args, CliIo io, bool handleSignals, CancellationToken cancellationToken)
    {
        using SignalCancellation? signals = handleSignals ? new SignalCancellation(cancellationToken) : null;
        var root = new RootCommand("pacer: runs large amounts of work against rate-limited services as fast as their limits allow, and no faster.")
        {
            DemoCommand.Create(io),
            RunCommand.Create(io),
            ServeCommand.Create(io),
            WorkerCommand.Create(io),
            SimulateCommand.Create(io),
            ValidateCommand.Create(io),
        };

        // Bare `pacer` is asking what it can do.
        ParseResult parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        var configuration = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Error,
            // Signals are handled here instead (SignalCancellation): System.CommandLine's own handler
            // throws on a second signal, and forces an exit code before the results are written.
            ProcessTerminationTimeout = null,
        };
        IReadOnlyList<string> usageErrors = UsageErrors.Describe(parse);
        if (usageErrors.Count > 0)
        {
            foreach (string error in usageErrors)
            {
                await io.Error.WriteLineAsync(error).ConfigureAwait(false);
            }

            await io.Error.WriteLineAsync("Run 'pacer COMMAND --help' for the options.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, signals?.Token ?? cancellationToken).ConfigureAwait(false);
    }
}
