using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pacer.Cli.Run;

/// <summary>
/// Builds a request line from a value or a CSV row, as GNU parallel does with <c>{}</c>:
/// <c>--url 'https://api.example.com/items/{}'</c> puts each input line into the URL (escaped for a
/// URL), and <c>--body '{"id":"{id}","text":"{text}"}'</c> puts CSV columns into a JSON body (escaped
/// for JSON; placeholders go inside strings). <c>{}</c> is the whole line or row, <c>{name}</c> a column.
/// </summary>
internal sealed partial class RequestTemplate
{
    private readonly string _url;
    private readonly JsonElement? _body;
    private readonly string _method;

    private RequestTemplate(string url, JsonElement? body, string method)
    {
        _url = url;
        _body = body;
        _method = method;
    }

    /// <summary>Whether <paramref name="url"/> holds a placeholder such as <c>{}</c> or <c>{id}</c>.</summary>
    public static bool IsTemplate(string? url) => url is not null && Placeholder().IsMatch(url);

    /// <summary>The placeholders' names in <paramref name="text"/>; <c>{}</c> is the empty name.</summary>
    public static IEnumerable<string> Names(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The template, or an error that names the flag at fault.</summary>
    /// <param name="url">The <c>--url</c> template.</param>
    /// <param name="body">The <c>--body</c> template (JSON), if any.</param>
    /// <param name="method">The method to send.</param>
    public static RequestTemplate? TryCreate(string url, string? body, string method, out string? error)
    {
        error = null;
        JsonElement? bodyElement = null;
        if (body is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                bodyElement = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                error = $"--body must be JSON with placeholders inside its strings, such as {{\"text\":\"{{}}\"}}: {e.Message}";
                return null;
            }
        }

        var template = new RequestTemplate(url, bodyElement, method);
        if (!RequestParser.IsHttpUrl(Placeholder().Replace(url, "x")))
        {
            error = $"--url must be an absolute http or https URL once its placeholders are filled, got {MessageText.Quote(Config.SecretMask.Url(url))}.";
            return null;
        }

        return template;
    }

    /// <summary>Every placeholder of the URL and the body's strings.</summary>
    public IEnumerable<string> Placeholders()
    {
        IEnumerable<string> names = Names(_url);
        return _body is { } body ? names.Concat(StringsOf(body).SelectMany(Names)) : names;
    }

    /// <summary>The request line for one value (<c>{}</c>) and, for CSV, its row's columns.</summary>
    /// <param name="whole">What <c>{}</c> stands for.</param>
    /// <param name="columns">A CSV row's columns by header name, or null for plain text.</param>
    /// <param name="id">The result's <c>id</c>: the value, or the row's <c>id</c> column.</param>
    public string Fill(string whole, IReadOnlyDictionary<string, string>? columns, string? id)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (id is not null)
            {
                json.WriteString("id", id);
            }

            json.WriteString("url", Placeholder().Replace(_url, m => Uri.EscapeDataString(Value(m.Groups[1].Value, whole, columns))));
            json.WriteString("method", _method);
            if (_body is { } body)
            {
                json.WritePropertyName("body");
                WriteFilled(json, body, whole, columns);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Value(string name, string whole, IReadOnlyDictionary<string, string>? columns) =>
        name.Length == 0 ? whole : columns is not null && columns.TryGetValue(name, out string? value) ? value : "";

    private static void WriteFilled(Utf8JsonWriter json, JsonElement element, string whole, IReadOnlyDictionary<string, string>? columns)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                json.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    json.WritePropertyName(property.Name);
                    WriteFilled(json, property.Value, whole, columns);
                }

                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteFilled(json, item, whole, columns);
                }

                json.WriteEndArray();
                break;
            case JsonValueKind.String:
                json.WriteStringValue(Placeholder().Replace(element.GetString()!, m => Value(m.Groups[1].Value, whole, columns)));
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }

    private static IEnumerable<string> StringsOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => StringsOf(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(StringsOf),
        JsonValueKind.String => [element.GetString()!],
        _ => [],
    };

    /// <summary><c>{}</c> or <c>{name}</c>: a name of letters, digits, <c>_</c>, <c>-</c>, <c>.</c> and spaces.</summary>
    [GeneratedRegex(@"\{([A-Za-z0-9_. -]{0,64})\}")]
    private static partial Regex Placeholder();
}
