namespace Pacer.Cli.Run;

/// <summary>Reads a header given as <c>Name: value</c>.</summary>
internal static class HeaderParser
{
    public static bool TryParse(string text, out KeyValuePair<string, string> header)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = colon > 0 ? text[..colon].Trim() : string.Empty;
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            header = default;
            return false;
        }

        header = new KeyValuePair<string, string>(name, text[(colon + 1)..].Trim());
        return true;
    }
}
