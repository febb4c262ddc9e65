using System.CommandLine;
using Pacer.Cli.Demo;
using Pacer.Cli.Run;
using Pacer.Cli.Simulate;
using Pacer.Cli.Validate;

namespace Pacer.Cli;

/// <summary>The <c>pacer</c> command line, callable with any streams and cancellation token.</summary>
internal static class PacerCli
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code. Usage errors exit with 2.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliIo io, bool handleSignals, CancellationToken cancellationToken)
    {
        var root = new RootCommand("pacer: runs large amounts of work against rate-limited services as fast as their limits allow, and no faster.")
        {
            DemoCommand.Create(io),
            RunCommand.Create(io),
            SimulateCommand.Create(io),
            ValidateCommand.Create(io),
        };

        ParseResult parse = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Error,
            ProcessTerminationTimeout = handleSignals ? TimeSpan.FromSeconds(10) : null,
        };
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                await io.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await io.Error.WriteLineAsync("Run 'pacer COMMAND --help' for the options.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
