using System.Globalization;
using Pacer.Cli.Config.Yaml;

namespace Pacer.Cli.Config;

/// <summary>
/// Every problem found in one <c>pacer.yaml</c>, each with the place it starts, shown in the
/// order of the file: <c>pacer.yaml: line 4, column 10: lane 'api': rps must be …</c>.
/// </summary>
internal sealed class ConfigErrors(string path)
{
    private readonly List<(YamlMark At, string Message)> _errors = [];

    public int Count => _errors.Count;

    public void Add(YamlMark at, string message) => _errors.Add((at, message));

    /// <summary>Each message with the file, line and column, by place in the file (problems at one place in the order found).</summary>
    public IEnumerable<string> Messages() => _errors
        .OrderBy(e => e.At.Line)
        .ThenBy(e => e.At.Column)
        .Select(e => string.Create(CultureInfo.InvariantCulture, $"{path}: line {e.At.Line}, column {e.At.Column}: {e.Message}"));
}
