namespace Pacer.Cli.Run;

/// <summary>
/// The flags that say how the input becomes requests (<c>--input-format</c>, a template <c>--url</c>,
/// <c>--body</c>) and <c>--api-key-env</c>: their checks, each naming its flag, and what they make.
/// </summary>
internal static class InputFlags
{
    /// <summary>Every problem with the flags together; empty when they can be used.</summary>
    public static List<string> Check(string? url, string? body, string format, string method, string? apiKeyEnv, string[] headers, Func<string, string?> environment)
    {
        var errors = new List<string>();
        InputFormat asked = InputFormats.Parse(format);
        bool template = RequestTemplate.IsTemplate(url) || body is not null;
        if (body is not null && url is null)
        {
            errors.Add("--body needs --url: the body template is sent to that URL.");
        }
        else if (template && RequestTemplate.TryCreate(url!, body, method, out string? error) is null)
        {
            errors.Add(error!);
        }

        if (template && asked is InputFormat.JsonLines or InputFormat.JsonArray)
        {
            errors.Add($"--input-format {format} reads whole requests: a --url with placeholders or a --body needs text or csv input.");
        }
        else if (!template && asked is InputFormat.Text or InputFormat.Csv)
        {
            errors.Add($"--input-format {format} needs a --url with placeholders such as 'https://api.example.com/items/{{}}' (and a --body, if any, to fill).");
        }

        if (apiKeyEnv is not null)
        {
            string? key = environment(apiKeyEnv);
            if (string.IsNullOrEmpty(key))
            {
                errors.Add($"--api-key-env: the environment variable '{apiKeyEnv}' is not set, or empty.");
            }
            else if (HeaderParser.Problem($"Authorization: Bearer {key}") is not null)
            {
                // The key itself is never shown.
                errors.Add($"--api-key-env: the value of '{apiKeyEnv}' cannot be sent in a header (it holds a line break, NUL or another control character).");
            }

            if (headers.Any(h => h.TrimStart().StartsWith("authorization:", StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add("Give --api-key-env or an Authorization header (-H), not both.");
            }
        }

        return errors;
    }

    /// <summary>The input's shape; the flags were checked by <see cref="Check"/>.</summary>
    /// <param name="methodGiven">Whether --method was given: a template without a body sends GET unless it was.</param>
    public static InputShape Shape(string? url, string? body, string format, string method, bool methodGiven)
    {
        InputFormat asked = InputFormats.Parse(format);
        if (url is null || !(RequestTemplate.IsTemplate(url) || body is not null))
        {
            return new InputShape(asked, null);
        }

        string send = methodGiven || body is not null ? method : "GET";
        return new InputShape(asked, RequestTemplate.TryCreate(url, body, send, out _) ?? throw new InvalidOperationException("Unchecked template."));
    }

    /// <summary>The Authorization header <c>--api-key-env</c> asks for, or none.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ApiKeyHeader(string? apiKeyEnv, Func<string, string?> environment) =>
        apiKeyEnv is not null && environment(apiKeyEnv) is { Length: > 0 } key ? [new("Authorization", $"Bearer {key}")] : [];
}
