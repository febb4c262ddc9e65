using System.Net;

namespace Pacer.Server.Security;

/// <summary>Checks where the server is asked to listen: loopback is safe by itself; anywhere else needs an API key.</summary>
internal static class ListenAddresses
{
    /// <summary>The addresses, or an error that names the one at fault.</summary>
    public static IReadOnlyList<Uri>? Parse(string urls, bool hasApiKey, List<string> errors)
    {
        var parsed = new List<Uri>();
        foreach (string text in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out Uri? url)
                || url.Scheme != Uri.UriSchemeHttp
                || url.AbsolutePath != "/"
                || url.Query.Length > 0)
            {
                errors.Add($"--urls: '{text}' is not an address to listen on; give http://HOST:PORT, such as {ServerOptions.DefaultUrls}.");
                continue;
            }

            if (!hasApiKey && !IsLoopback(url))
            {
                errors.Add($"--urls: '{text}' is reachable from other machines, and no API key is set: set PACER_API_KEY, or 'server: apiKey:' in pacer.yaml (every request must then give Authorization: Bearer KEY), or listen on 127.0.0.1.");
                continue;
            }

            parsed.Add(url);
        }

        if (parsed.Count == 0 && errors.Count == 0)
        {
            errors.Add($"--urls: no address given; give http://HOST:PORT, such as {ServerOptions.DefaultUrls}.");
        }

        return errors.Count == 0 ? parsed : null;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback && (url.HostNameType != UriHostNameType.Dns || string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        || IPAddress.TryParse(url.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address);
}
