using Pacer.Cli.Config.Yaml;

namespace Pacer.Cli.Config;

/// <summary>A value read from <c>pacer.yaml</c>: where it is written, and the lane that set it (a child lane inherits its parent's).</summary>
internal sealed record Setting<T>(T Value, YamlMark At, string Lane);
