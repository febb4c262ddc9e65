using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pacer.Cli.Config.Yaml;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s that keep their places, so that every
/// problem in the file can be named by line and column, duplicate keys included.
/// </summary>
/// <remarks>
/// Built from the parser's events with an explicit stack, so a deeply nested file cannot exhaust
/// the call stack. An anchor is known from the end of its node on: an alias inside the node it
/// names is an error, so the tree never holds a cycle.
/// </remarks>
internal static class YamlTreeReader
{
    /// <summary>
    /// The deepest nesting read. A pacer.yaml nests five deep (lanes, a lane, retry, statuses);
    /// the parser's work grows with the square of the depth, so a file nested thousands deep is
    /// refused at this depth rather than read for minutes.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>The document's root (null for an empty file), or null with the problem added to <paramref name="errors"/>.</summary>
    public static YamlNode? Read(string text, ConfigErrors errors, out bool failed)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var open = new Stack<(YamlNode Node, string? Anchor, YamlNode? PendingKey)>();
        YamlNode? root = null;
        int documents = 0;
        failed = false;
        try
        {
            while (parser.MoveNext())
            {
                ParsingEvent current = parser.Current!;
                YamlMark at = YamlMark.From(current.Start);
                switch (current)
                {
                    case DocumentStart { IsImplicit: var isImplicit } when ++documents > 1:
                        errors.Add(at, isImplicit
                            ? "a second YAML document starts here; a pacer.yaml is one document."
                            : "a second YAML document starts here (after '---'); a pacer.yaml is one document.");
                        failed = true;
                        return null;
                    case Scalar scalar:
                        Add(new YamlScalar(at, scalar.Value, scalar.Style == ScalarStyle.Plain), Anchor(scalar));
                        break;
                    case MappingStart or SequenceStart when open.Count == MaxDepth:
                        errors.Add(at, $"the YAML nests more than {MaxDepth} levels deep here; a pacer.yaml needs five (lanes, a lane, retry, statuses).");
                        failed = true;
                        return null;
                    case MappingStart mapping:
                        open.Push((new YamlMap(at), Anchor(mapping), null));
                        break;
                    case SequenceStart sequence:
                        open.Push((new YamlList(at), Anchor(sequence), null));
                        break;
                    case MappingEnd or SequenceEnd:
                        (YamlNode done, string? anchor, _) = open.Pop();
                        Add(done, anchor);
                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out YamlNode? named))
                        {
                            errors.Add(at, $"alias '*{alias.Value.Value}' names no anchor ('&{alias.Value.Value}') above it.");
                            failed = true;
                            return null;
                        }

                        Add(named, null);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            (YamlMark where, string message) = YamlSyntax.Describe(e, text);
            errors.Add(where, message);
            failed = true;
            return null;
        }

        return root;

        void Add(YamlNode node, string? anchor)
        {
            if (anchor is not null)
            {
                anchors[anchor] = node;
            }

            if (open.Count == 0)
            {
                root = node;
                return;
            }

            (YamlNode parent, string? parentAnchor, YamlNode? key) = open.Pop();
            switch (parent)
            {
                case YamlMap map when key is null:
                    open.Push((map, parentAnchor, node));
                    return;
                case YamlMap map:
                    map.Entries.Add(new(key, node));
                    break;
                case YamlList list:
                    list.Items.Add(node);
                    break;
            }

            open.Push((parent, parentAnchor, null));
        }
    }

    private static string? Anchor(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;
}
