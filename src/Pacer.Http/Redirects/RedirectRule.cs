using System.Net;

namespace Pacer.Http;

/// <summary>
/// Which answers are redirects, where they lead, whether the handler may follow them (within the
/// request's origin only), and how the request changes when it does (RFC 9110 section 15.4).
/// </summary>
internal static class RedirectRule
{
    /// <summary>
    /// The address a redirect leads to, resolved against the request's: a 300, 301, 302, 303, 307
    /// or 308 with a <c>Location</c>. Any other answer, or one whose <c>Location</c> does not
    /// parse, is not a redirect and goes to the caller as it is.
    /// </summary>
    public static bool TryGetTarget(HttpResponseMessage response, Uri requestUri, out Uri target)
    {
        target = null!;
        if (response.StatusCode is not (HttpStatusCode.MultipleChoices or HttpStatusCode.MovedPermanently or HttpStatusCode.Found
            or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect)
            || response.Headers.Location is not { } location)
        {
            return false;
        }

        if (location.IsAbsoluteUri)
        {
            target = location;
            return true;
        }

        return Uri.TryCreate(requestUri, location, out target!);
    }

    /// <summary>The same scheme, host and port: the origin a request's headers were meant for.</summary>
    public static bool IsSameOrigin(Uri from, Uri to) =>
        string.Equals(from.Scheme, to.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(from.IdnHost, to.IdnHost, StringComparison.OrdinalIgnoreCase)
        && from.Port == to.Port;

    /// <summary>
    /// Points the request at <paramref name="target"/>. A 301 or 302 turns a POST, and a 303 any
    /// method but GET and HEAD, into a GET without a body, as browsers and HttpClient do; a 307 or
    /// 308 keeps the method and the body.
    /// </summary>
    public static void Follow(HttpRequestMessage request, HttpStatusCode status, Uri target)
    {
        bool toGet = status switch
        {
            HttpStatusCode.MultipleChoices or HttpStatusCode.MovedPermanently or HttpStatusCode.Found => request.Method == HttpMethod.Post,
            HttpStatusCode.SeeOther => request.Method != HttpMethod.Get && request.Method != HttpMethod.Head,
            _ => false,
        };

        if (toGet)
        {
            request.Method = HttpMethod.Get;
            request.Content = null;
            if (request.Headers.TransferEncodingChunked == true)
            {
                request.Headers.TransferEncodingChunked = false;
            }
        }

        request.RequestUri = target;
    }

    /// <summary>The error for a redirect to another origin: not followed, so that no header goes there.</summary>
    public static HttpRequestException ToAnotherOrigin(HttpResponseMessage response, Uri from, Uri target) => new(
        $"The service answered {Status(response)} with a redirect to another origin, {Shown(target)}; "
            + $"it was not followed, so that the request's headers stay with {from.GetLeftPart(UriPartial.Authority)}.",
        inner: null,
        response.StatusCode);

    /// <summary>The error for one redirect more than the handler follows.</summary>
    public static HttpRequestException TooMany(HttpResponseMessage response, int followed, Uri target) => new(
        $"The service redirected more than {followed} times; the last redirect, {Status(response)}, pointed to {Shown(target)}. The request was not sent there.",
        inner: null,
        response.StatusCode);

    private static string Status(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} ({(string.IsNullOrEmpty(response.ReasonPhrase) ? Enum.GetName(response.StatusCode) : response.ReasonPhrase)})";

    /// <summary>An address as an error names it: its origin and path, without user information or query (a signed address carries its key there).</summary>
    private static string Shown(Uri target) =>
        target.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        + (string.IsNullOrEmpty(target.Query) ? "" : "?…");
}
