namespace Pacer.Cli.Run;

/// <summary>How the input is read (<c>--input-format</c>).</summary>
internal enum InputFormat
{
    /// <summary>Chosen from the input: a template <c>--url</c> reads text (CSV for a <c>.csv</c> file); a <c>.json</c> file that starts with <c>[</c>, or input whose first line opens an array it does not close, is a JSON array; else JSON lines.</summary>
    Auto,

    /// <summary>One JSON request (or body, with <c>--url</c>) per line.</summary>
    JsonLines,

    /// <summary>One JSON array of requests (or bodies), over any number of lines.</summary>
    JsonArray,

    /// <summary>One value per line, put into the <c>--url</c> and <c>--body</c> templates' <c>{}</c>.</summary>
    Text,

    /// <summary>CSV with a header row; each row's columns fill the templates' <c>{column}</c>, and <c>{}</c> the whole row.</summary>
    Csv,
}

/// <summary>Reads and names <see cref="InputFormat"/> values as the command line writes them.</summary>
internal static class InputFormats
{
    public static readonly string[] Names = ["auto", "jsonl", "json", "text", "csv"];

    public static InputFormat Parse(string name) => name switch
    {
        "jsonl" => InputFormat.JsonLines,
        "json" => InputFormat.JsonArray,
        "text" => InputFormat.Text,
        "csv" => InputFormat.Csv,
        _ => InputFormat.Auto,
    };
}
