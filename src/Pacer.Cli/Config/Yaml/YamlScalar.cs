using Pacer.Cli.Run;

namespace Pacer.Cli.Config.Yaml;

/// <summary>A single value: its text, and whether it was written plain (unquoted).</summary>
internal sealed class YamlScalar(YamlMark at, string value, bool isPlain) : YamlNode(at)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    /// <summary>Whether the value is YAML's null: nothing, <c>~</c> or <c>null</c>, unquoted.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>A plain number as written (<c>-5</c>), anything else quoted (<c>'many'</c>).</summary>
    public override string Described => IsPlain && IsNumber(Value) ? Value : MessageText.Quote(Value);

    private static bool IsNumber(string text)
    {
        string digits = text.StartsWith('-') ? text[1..] : text;
        int point = digits.IndexOf('.', StringComparison.Ordinal);
        return digits.Length is > 0 and <= MessageText.MaxQuoted && point != 0 && point != digits.Length - 1
            && digits.All(c => char.IsAsciiDigit(c) || c == '.') && digits.Count(c => c == '.') <= 1;
    }
}
