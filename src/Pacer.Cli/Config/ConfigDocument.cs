namespace Pacer.Cli.Config;

/// <summary>The YAML shape of <c>pacer.yaml</c>: lanes by name.</summary>
public sealed class ConfigDocument
{
    public Dictionary<string, LaneDocument>? Lanes { get; set; }
}
