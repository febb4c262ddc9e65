using System.Buffers;
using System.Net.Http.Headers;

namespace Pacer.Http;

/// <summary>
/// Refuses a request whose headers would not go on the wire as the headers they claim to be: a
/// name that is not an RFC 9110 token, or a value holding CR, LF or NUL. Sent raw, a line break in
/// a value ends the header (or the whole request) early, and what follows is read by the server as
/// headers or as a second request of the sender's choosing.
/// </summary>
internal static class RequestHeaderCheck
{
    /// <summary>The characters of an RFC 9110 token (section 5.6.2), which a field name must be.</summary>
    private static readonly SearchValues<char> s_tokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> s_lineBreaksAndNul = SearchValues.Create("\r\n\0");

    /// <summary>Throws when a header of the request or of its content may not be sent.</summary>
    /// <exception cref="ArgumentException">A header name is not a token, or a value holds CR, LF or NUL; the message names the header, never its value.</exception>
    public static void ThrowIfUnsafe(HttpRequestMessage request)
    {
        if ((ProblemIn(request.Headers) ?? (request.Content is { } content ? ProblemIn(content.Headers) : null)) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }
    }

    /// <summary>Whether <paramref name="name"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(s_tokenChars);

    /// <summary>What is wrong with the first unsafe header, or <see langword="null"/>.</summary>
    private static string? ProblemIn(HttpHeaders headers)
    {
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            if (!IsToken(header.Key))
            {
                return $"Request header name '{Printable(header.Key)}' was not sent: a header name must be a token (letters, digits and !#$%&'*+-.^_`|~).";
            }

            foreach (string value in header.Value)
            {
                int at = value.AsSpan().IndexOfAny(s_lineBreaksAndNul);
                if (at >= 0)
                {
                    // The value may be a key or a token: only its length and the offending place are named.
                    return $"Request header '{header.Key}' was not sent: its value ({value.Length} characters, not shown) holds a {NameOf(value[at])} at index {at}; header values must not contain CR, LF or NUL.";
                }
            }
        }

        return null;
    }

    private static string NameOf(char c) => c switch
    {
        '\r' => "CR",
        '\n' => "LF",
        _ => "NUL",
    };

    /// <summary>A name with its control characters written out, so the message itself stays on one line.</summary>
    private static string Printable(string name) =>
        string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
