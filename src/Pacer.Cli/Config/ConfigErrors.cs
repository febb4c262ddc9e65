using System.Globalization;
using Pacer.Cli.Config.Yaml;

namespace Pacer.Cli.Config;

/// <summary>
/// Every problem found in one <c>pacer.yaml</c>, each with the place it starts, shown in the
/// order of the file: <c>pacer.yaml: line 4, column 10: lane 'api': rps must be …</c>.
/// </summary>
internal sealed class ConfigErrors(string path)
{
    /// <summary>The most problems shown: a file with more is better fixed from its first ones, and one value shared through aliases can repeat a problem per lane.</summary>
    public const int MaxShown = 500;

    private readonly List<(YamlMark At, string Message)> _errors = [];
    private int _notShown;

    public int Count => _errors.Count + _notShown;

    public void Add(YamlMark at, string message)
    {
        if (_errors.Count < MaxShown)
        {
            _errors.Add((at, message));
        }
        else
        {
            _notShown++;
        }
    }

    /// <summary>Each message with the file, line and column, by place in the file (problems at one place in the order found); then how many more were found, if any.</summary>
    public IEnumerable<string> Messages() => _errors
        .OrderBy(e => e.At.Line)
        .ThenBy(e => e.At.Column)
        .Select(e => string.Create(CultureInfo.InvariantCulture, $"{path}: line {e.At.Line}, column {e.At.Column}: {e.Message}"))
        .Concat(_notShown == 0 ? [] : [string.Create(CultureInfo.InvariantCulture, $"{path}: {_notShown:#,0} more {(_notShown == 1 ? "problem" : "problems")} not shown.")]);
}
