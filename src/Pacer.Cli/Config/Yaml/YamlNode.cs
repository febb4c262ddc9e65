namespace Pacer.Cli.Config.Yaml;

/// <summary>
/// A node of a YAML document with the place it starts, read by <see cref="YamlTreeReader"/>. An
/// alias is the node its anchor names, shared rather than copied, so a file of nested aliases
/// (a "billion laughs") stays as small in memory as it is on disk.
/// </summary>
internal abstract class YamlNode(YamlMark at)
{
    public YamlMark At { get; } = at;

    /// <summary>What the node is, for a message: "a map", "a list" or the value quoted.</summary>
    public abstract string Described { get; }
}
