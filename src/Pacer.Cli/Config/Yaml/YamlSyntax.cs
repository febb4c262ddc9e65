using YamlDotNet.Core;

namespace Pacer.Cli.Config.Yaml;

/// <summary>Says why a file is not YAML, for the mistakes people make most, in words about the file rather than the parser.</summary>
internal static class YamlSyntax
{
    /// <summary>Parser messages (a part of each) and what they usually mean.</summary>
    private static readonly (string Says, string Means)[] s_known =
    [
        ("did not find expected key", "this line is indented differently from the keys above it: the keys of one map start in the same column."),
        ("found invalid mapping", "a ':' here would start a key inside a value: put each key on a line of its own, indented as the other keys of its map, and quote a value that holds ': '."),
        ("double-quoted scalar", "a value opened with '\"' is not closed on its line: is its closing quote missing?"),
        ("single-quoted scalar", "a value opened with \"'\" is not closed on its line: is its closing quote missing?"),
        ("did not find expected ',' or ']'", "a list opened with '[' is not closed with ']'."),
        ("did not find expected ',' or '}'", "a map opened with '{' is not closed with '}'."),
    ];

    /// <summary>Where the problem is and what it is.</summary>
    /// <param name="text">The file's text: the parser places a tab at the start of the file, and the tab is found here instead.</param>
    public static (YamlMark At, string Message) Describe(YamlException e, string text)
    {
        string message = (e.InnerException ?? e).Message;
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentingTab(text) is { } tab)
        {
            return (tab, "a tab indents this line; YAML indents with spaces only.");
        }

        YamlMark at = YamlMark.From(e.Start);
        foreach ((string says, string means) in s_known)
        {
            if (message.Contains(says, StringComparison.Ordinal))
            {
                return (at, means);
            }
        }

        return (at, $"not valid YAML: {message.TrimEnd('.')}.");
    }

    private static YamlMark? FirstIndentingTab(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string indent = lines[i][..(lines[i].Length - lines[i].TrimStart(' ', '\t').Length)];
            if (indent.IndexOf('\t', StringComparison.Ordinal) is var column and >= 0)
            {
                return new YamlMark(i + 1, column + 1);
            }
        }

        return null;
    }
}
