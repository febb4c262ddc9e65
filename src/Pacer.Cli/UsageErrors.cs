using System.CommandLine;
using System.CommandLine.Parsing;
using Pacer.Cli.Config;

namespace Pacer.Cli;

/// <summary>
/// What a mistyped command line gets told: each unknown option or command once, with the one it most
/// likely meant (<c>--rsp</c> → <c>--rps</c>, <c>rnu</c> → <c>run</c>), including a mistyped option
/// that the parser took for the input file's name.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The lines to print for <paramref name="parse"/>: empty when the command line is well formed.</summary>
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        var lines = new List<string>();
        Command command = parse.CommandResult.Command;
        var reported = new HashSet<string>(StringComparer.Ordinal);

        // An unknown "--option" in the place of a command's argument is read as its value (a file name):
        // it is an unknown option all the same.
        foreach (ArgumentResult argument in parse.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (Token token in argument.Tokens)
            {
                if (LooksLikeOption(token.Value) && !File.Exists(token.Value) && reported.Add(token.Value))
                {
                    lines.Add(UnknownOption(token.Value, command));
                }
            }
        }

        var others = new List<string>();
        var unknown = new List<string>();
        foreach (ParseError error in parse.Errors)
        {
            string? token = UnmatchedToken(error, parse);
            if (token is null)
            {
                others.Add(error.Message);
            }
            else if (LooksLikeOption(token))
            {
                if (reported.Add(token))
                {
                    lines.Add(UnknownOption(token, command));
                }
            }
            else if (reported.Add(token))
            {
                unknown.Add(UnknownCommand(token, command));
            }
        }

        // After an unknown option or command the rest is its fallout ("3" was the value of "--rsp",
        // "command not provided" meant "rnu"): one cause, one line.
        if (lines.Count > 0)
        {
            return lines;
        }

        // A flag's own error explains the tokens left over ("--rps --burst 2": --rps took "--burst",
        // so "2" was left); "no command" is what a mistyped command leaves.
        List<string> real = [.. others.Where(o => !o.StartsWith("Required command was not provided", StringComparison.Ordinal))];
        return real.Count > 0 ? real : unknown.Count > 0 ? unknown : others;
    }

    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !double.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>The unmatched token an "unrecognized" error is about, or null for any other error.</summary>
    private static string? UnmatchedToken(ParseError error, ParseResult parse) =>
        parse.UnmatchedTokens.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));

    private static string UnknownOption(string token, Command command)
    {
        IEnumerable<string> names = OptionsOf(command).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
        string? closest = KeySuggestion.Closest(token.TrimStart('-'), names.Select(n => n[2..]));
        string where = command.Parents.Any() ? $"'pacer {command.Name}'" : "'pacer'";
        return closest is null
            ? $"Unknown option '{token}' for {where}."
            : $"Unknown option '{token}' for {where}; did you mean '--{closest}'?";
    }

    private static string UnknownCommand(string token, Command command)
    {
        string? closest = KeySuggestion.Closest(token, command.Subcommands.Select(c => c.Name));
        return closest is null
            ? $"Unknown command or argument '{token}'."
            : $"Unknown command '{token}'; did you mean '{closest}'?";
    }

    /// <summary>The command's own options and those it inherits (such as --help).</summary>
    private static IEnumerable<Option> OptionsOf(Command command)
    {
        foreach (Option option in command.Options)
        {
            yield return option;
        }

        foreach (Command parent in command.Parents.OfType<Command>())
        {
            foreach (Option option in parent.Options.Where(o => o.Recursive))
            {
                yield return option;
            }
        }
    }
}
