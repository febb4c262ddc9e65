using System.CommandLine;
using Pacer.Cli.Demo;
using Pacer.Cli.Run;
using Pacer.Cli.Simulate;
using Pacer.Cli.Validate;

namespace Pacer.Cli.Tests;

/// <summary>Every flag of every command, given what a careless user types, ends in a usage error or a run: never an exception.</summary>
public sealed class FlagFuzzTests
{
    private static readonly string[] Garbage = ["abc", "-1", "0", "", "99999999999999999999999", "1e300", "--rps", "💥", "1.5", "NaN"];

    public static TheoryData<string, string> Flags()
    {
        var io = new CliIo(TextReader.Null, TextWriter.Null, TextWriter.Null);
        var data = new TheoryData<string, string>();
        foreach (Command command in (Command[])[RunCommand.Create(io), DemoCommand.Create(io), SimulateCommand.Create(io), ValidateCommand.Create(io)])
        {
            foreach (Option option in command.Options.Where(o => o.ValueType != typeof(bool) && o.Name != "--help"))
            {
                data.Add(command.Name, option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public async Task A_bad_value_is_a_usage_error_naming_the_flag(string command, string flag)
    {
        foreach (string value in Garbage)
        {
            // Stdin holds no line, and --dry-run keeps a run that accepts the value from sending
            // anything. The demo and the simulator get a token cancelled already: a value they
            // accept starts them, and they stop at once; one they refuse is a usage error.
            string[] args = command switch
            {
                "run" => ["run", "-", flag, value, "--dry-run", "--progress", "none"],
                "validate" => ["validate", "missing.yaml", flag, value],
                "demo" => ["demo", flag, value, "--progress", "none"],
                _ => [command, flag, value],
            };
            using var stopped = new CancellationTokenSource();
            await stopped.CancelAsync();

            CliRun run = await CliRun.InvokeAsync(args, "", command is "demo" or "simulate" ? stopped.Token : CancellationToken.None);

            Assert.True(run.ExitCode is 0 or 1 or ExitCodes.Usage or ExitCodes.Interrupted, $"{string.Join(' ', args)} exited {run.ExitCode}:\n{run.Error}");
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
        }
    }
}
