namespace Pacer.Cli.Config.Yaml;

/// <summary>Where something starts in a YAML file: line and column, both counted from 1.</summary>
internal readonly record struct YamlMark(long Line, long Column)
{
    /// <summary>The start of the file: for a problem with the file as a whole.</summary>
    public static YamlMark FileStart { get; } = new(1, 1);

    public static YamlMark From(YamlDotNet.Core.Mark mark) => new(mark.Line, mark.Column);
}
