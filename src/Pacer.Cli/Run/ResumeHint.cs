using System.Globalization;
using System.Text.RegularExpressions;

namespace Pacer.Cli.Run;

/// <summary>
/// The last line of a run that stopped before every line was sent (a signal, <c>--fail-fast</c>): how
/// many were left, and the command that sends them — the same command with <c>--resume</c>.
/// </summary>
internal static partial class ResumeHint
{
    /// <param name="why">Why the run stopped, such as "Interrupted".</param>
    /// <param name="cancelled">Lines cancelled (their results say so).</param>
    /// <param name="readAll">Whether the whole input was read; if not, the lines after the last read were never sent either.</param>
    /// <param name="settings">The run's settings: its out file and command line.</param>
    public static string Describe(string why, long cancelled, bool readAll, RunSettings settings)
    {
        string left = string.Create(CultureInfo.InvariantCulture, $"{cancelled} line(s) were cancelled") + (readAll ? "" : ", and the input was not read to its end");
        if (settings.Out is null)
        {
            return $"{why}: {left}. The results went to stdout, where --resume cannot find them: give --out FILE, and then --resume finishes a run like this one.";
        }

        return $"{why}: {left}. To send what is left, and only that: {Command(settings.Arguments)}";
    }

    /// <summary>The command line again, with <c>--resume</c> (and without <c>--overwrite</c>), quoted for a POSIX shell.</summary>
    public static string Command(IReadOnlyList<string> arguments)
    {
        List<string> again = [.. arguments.Where(a => a != "--overwrite")];
        if (!again.Contains("--resume"))
        {
            again.Add("--resume");
        }

        return "pacer " + string.Join(' ', again.Select(Quote));
    }

    private static string Quote(string argument) =>
        Plain().IsMatch(argument) ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex Plain();
}
