namespace Pacer.Cli.Config.Yaml;

/// <summary>A sequence: its items in order.</summary>
internal sealed class YamlList(YamlMark at) : YamlNode(at)
{
    public List<YamlNode> Items { get; } = [];

    public override string Described => "a list";
}
