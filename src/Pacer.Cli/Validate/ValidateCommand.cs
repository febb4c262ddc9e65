using System.CommandLine;
using Pacer.Cli.Config;

namespace Pacer.Cli.Validate;

/// <summary><c>pacer validate CONFIG</c>: checks a <c>pacer.yaml</c> without sending anything.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliIo io)
    {
        var config = new Argument<string>("CONFIG") { Description = "The pacer.yaml to check." };
        var command = new Command("validate", "Checks a pacer.yaml: its YAML, every lane's limits, base URL, headers, retry policy, timeout and ${ENV} references, and lists what each lane ends up with (a child lane inherits its parent's base URL, headers, retry policy and timeout), secrets masked. Exit 0 when it is good, 2 with every problem on stderr, each with its line and column, otherwise.")
        {
            config,
        };
        command.SetAction(async (parse, _) =>
        {
            string path = parse.GetValue(config)!;
            var errors = new List<string>();
            IReadOnlyList<ConfiguredLane>? lanes = ConfigLoader.Read(path, Environment.GetEnvironmentVariable, errors);

            // The engine takes the lanes too: what it refuses, pacer run would refuse.
            PacerEngine? engine = lanes is null ? null : await ConfigLoader.TryBuildEngineAsync([.. lanes.Select(l => l.Config)], TimeProvider.System, errors).ConfigureAwait(false);
            if (engine is null)
            {
                foreach (string error in errors)
                {
                    await io.Error.WriteLineAsync(error).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            await engine.DisposeAsync().ConfigureAwait(false);
            foreach (string line in lanes!.SelectMany(LaneListing.Lines))
            {
                await io.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            await io.Out.WriteLineAsync(LaneListing.Summary(path, lanes!.Count)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
