namespace Pacer.Http;

/// <summary>
/// One item of an HTTP structured field (RFC 9651): a bare value and its parameters. Values are
/// <see cref="long"/> (Integer), <see cref="decimal"/> (Decimal), <see cref="string"/> (String),
/// <see cref="StructuredToken"/> (Token), <see cref="byte"/>[] (Byte Sequence) or <see cref="bool"/> (Boolean).
/// </summary>
internal sealed class StructuredItem(object value, Dictionary<string, object>? parameters)
{
    public object Value { get; } = value;

    /// <summary>The item's name when it is a String or a Token (how rate-limit policies are named).</summary>
    public string? Name => Value switch
    {
        string s => s,
        StructuredToken t => t.Text,
        _ => null,
    };

    /// <summary>An Integer parameter, if present and an Integer.</summary>
    public long? Integer(string key) => parameters is not null && parameters.TryGetValue(key, out object? v) && v is long l ? l : null;

    /// <summary>A String or Token parameter, if present and one of those.</summary>
    public string? Text(string key) => parameters is not null && parameters.TryGetValue(key, out object? v)
        ? v switch
        {
            string s => s,
            StructuredToken t => t.Text,
            _ => null,
        }
        : null;
}
