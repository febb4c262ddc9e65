namespace Pacer.Cli.Run;

/// <summary>Reads a header given as <c>Name: value</c> (a <c>--header</c> flag), and checks any header before it is sent.</summary>
internal static class HeaderParser
{
    /// <summary>Reads <paramref name="text"/>; false when it is not a header that may be sent (see <see cref="Problem(string)"/>).</summary>
    public static bool TryParse(string text, out KeyValuePair<string, string> header) => Read(text, out header) is null;

    /// <summary>Why <paramref name="text"/> is not a header that may be sent, or null when it is.</summary>
    public static string? Problem(string text) => Read(text, out _);

    /// <summary>
    /// Why <paramref name="name"/> with <paramref name="value"/> may not be sent, or null: the name
    /// must be a token, the value printable ASCII. Names the header, never its value.
    /// </summary>
    public static string? Problem(string name, string value)
    {
        if (!HttpSyntax.IsToken(name))
        {
            return $"header name {MessageText.Quote(name)} is not a token (letters, digits and !#$%&'*+-.^_`|~ only)";
        }

        return HttpSyntax.ValueProblem(value) is { } problem ? $"header '{name}' {problem}; {HttpSyntax.ValueRule}" : null;
    }

    /// <remarks>Spaces around the name and the value are trimmed, a CR or LF at either end with them (a key read from a file with Windows line ends).</remarks>
    private static string? Read(string text, out KeyValuePair<string, string> header)
    {
        header = default;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return "must look like \"Name: value\", with a colon after the name";
        }

        string name = text[..colon].Trim();
        string value = text[(colon + 1)..].Trim();
        if (Problem(name, value) is { } problem)
        {
            return problem;
        }

        header = new KeyValuePair<string, string>(name, value);
        return null;
    }
}
