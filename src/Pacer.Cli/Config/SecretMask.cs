using System.Text;
using System.Text.RegularExpressions;

namespace Pacer.Cli.Config;

/// <summary>
/// Hides secrets where configuration is shown (<c>pacer validate</c>, error messages): a URL's
/// user information and query values, and the values of headers whose names say they carry a
/// credential. A <c>${NAME}</c> reference is shown as it is written: it names a variable, not its value.
/// </summary>
internal static partial class SecretMask
{
    /// <summary>What a hidden value is shown as.</summary>
    public const string Mask = "***";

    /// <summary>Parts of a header name that mark its value as a credential.</summary>
    private static readonly string[] s_secretNameParts = ["auth", "key", "token", "secret", "cookie", "password", "signature"];

    /// <summary>Whether a header named <paramref name="name"/> carries a credential (Authorization, x-api-key, X-Auth-Token, Cookie, …).</summary>
    public static bool IsSecretHeader(string name) =>
        s_secretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>A header value as shown: <see cref="Mask"/> for a credential, else as given.</summary>
    public static string HeaderValue(string name, string value) => IsSecretHeader(name) ? Mask : value;

    /// <summary>
    /// <paramref name="url"/> with its user information and each query value (a query part without
    /// <c>=</c> whole) replaced by <see cref="Mask"/>, unless it is a <c>${NAME}</c> reference. Works on the text, so it
    /// hides the same parts of a URL that does not parse.
    /// </summary>
    public static string Url(string url)
    {
        int queryStart = url.IndexOf('?', StringComparison.Ordinal);
        int fragmentStart = url.IndexOf('#', StringComparison.Ordinal);
        int end = fragmentStart >= 0 && (queryStart < 0 || fragmentStart < queryStart) ? fragmentStart : queryStart >= 0 ? queryStart : url.Length;
        var shown = new StringBuilder(MaskUserInfo(url[..end]));
        if (queryStart >= 0 && queryStart == end)
        {
            int queryEnd = fragmentStart > queryStart ? fragmentStart : url.Length;
            shown.Append('?').Append(MaskQuery(url[(queryStart + 1)..queryEnd]));
            end = queryEnd;
        }

        return shown.Append(url[end..]).ToString();
    }

    private static string MaskUserInfo(string beforeQuery)
    {
        int authority = beforeQuery.IndexOf("//", StringComparison.Ordinal);
        if (authority < 0)
        {
            return beforeQuery;
        }

        int start = authority + 2;
        int pathStart = beforeQuery.IndexOf('/', start);
        int authorityEnd = pathStart < 0 ? beforeQuery.Length : pathStart;
        int at = beforeQuery.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        return at < 0 || IsReference(beforeQuery[start..at]) ? beforeQuery : beforeQuery[..start] + Mask + beforeQuery[at..];
    }

    private static string MaskQuery(string query) => string.Join('&', query.Split('&').Select(pair =>
    {
        int equals = pair.IndexOf('=', StringComparison.Ordinal);
        string value = pair[(equals + 1)..];
        return value.Length == 0 || IsReference(value) ? pair : pair[..(equals + 1)] + Mask;
    }));

    private static bool IsReference(string text) => Reference().IsMatch(text);

    [GeneratedRegex(@"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$")]
    private static partial Regex Reference();
}
