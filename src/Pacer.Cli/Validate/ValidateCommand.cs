using System.CommandLine;
using Pacer.Cli.Config;

namespace Pacer.Cli.Validate;

/// <summary><c>pacer validate CONFIG</c>: checks a <c>pacer.yaml</c> without sending anything.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliIo io)
    {
        var config = new Argument<string>("CONFIG") { Description = "The pacer.yaml to check." };
        var command = new Command("validate", "Checks a pacer.yaml: its YAML, every lane's limits, base URL, headers, timeout and ${ENV} references, and lists the lanes with secrets masked. Exit 0 when it is good, 2 with each problem on stderr otherwise.")
        {
            config,
        };
        command.SetAction(async (parse, _) =>
        {
            string path = parse.GetValue(config)!;
            var errors = new List<string>();
            IReadOnlyList<LaneConfig>? lanes = ConfigLoader.Load(path, Environment.GetEnvironmentVariable, errors);
            PacerEngine? engine = lanes is null ? null : await ConfigLoader.TryBuildEngineAsync(lanes, TimeProvider.System, errors).ConfigureAwait(false);
            if (engine is null)
            {
                foreach (string error in errors)
                {
                    await io.Error.WriteLineAsync(error).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            await engine.DisposeAsync().ConfigureAwait(false);
            foreach (LaneConfig lane in lanes!)
            {
                string rates = string.Join(", ", lane.Limits.Rates.Concat(lane.Limits.CostRates).Select(r => r.ToString()));
                string headers = string.Join(", ", lane.ShowHeaders().Select(h => $"{h.Key}: {h.Value}"));
                await io.Out.WriteLineAsync($"{lane.Name}: {lane.ShowBaseUrl() ?? "(no base URL)"}; concurrency {lane.Limits.MaxConcurrency?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"}; rates {(rates.Length == 0 ? "none" : rates)}; headers {(headers.Length == 0 ? "none" : headers)}; {lane.Retry}").ConfigureAwait(false);
            }

            await io.Out.WriteLineAsync($"{path}: {lanes!.Count} lane(s), valid.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
