using System.Net;

namespace Pacer.Http.Tests;

/// <summary>Builds responses from header lines as they appear on the wire ("name: value").</summary>
internal static class Responses
{
    public static HttpResponseMessage Make(HttpStatusCode status, params string[] headerLines)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent($"{{\"status\":{(int)status}}}") };
        foreach (string line in headerLines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(response.Headers.TryAddWithoutValidation(line[..colon].Trim(), line[(colon + 1)..].Trim()), line);
        }

        return response;
    }

    public static HttpResponseMessage Make(params string[] headerLines) => Make(HttpStatusCode.OK, headerLines);
}
