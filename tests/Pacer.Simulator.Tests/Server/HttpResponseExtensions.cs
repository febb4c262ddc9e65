namespace Pacer.Simulator.Tests.Server;

internal static class HttpResponseExtensions
{
    /// <summary>The single value of a response header, or null.</summary>
    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
