namespace Pacer.Cli.Config.Yaml;

/// <summary>A mapping: its entries in the order written, duplicates kept (readers report them).</summary>
internal sealed class YamlMap(YamlMark at) : YamlNode(at)
{
    public List<KeyValuePair<YamlNode, YamlNode>> Entries { get; } = [];

    public override string Described => "a map";
}
