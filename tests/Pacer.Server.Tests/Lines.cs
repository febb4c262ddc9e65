using System.Globalization;

namespace Pacer.Server.Tests;

/// <summary>Request lines as pacer run reads them.</summary>
internal static class Lines
{
    /// <summary>A POST to <paramref name="baseUrl"/>echo with the index as its id and body.</summary>
    public static string Echo(Uri baseUrl, int i) =>
        $$$"""{"id":{{{i}}},"url":"{{{new Uri(baseUrl, "echo")}}}","method":"POST","body":{"n":{{{i}}}}}""";

    /// <summary>A GET of <paramref name="baseUrl"/>j/<paramref name="i"/>, with the index as its id.</summary>
    public static string Get(Uri baseUrl, int i) =>
        $$"""{"id":{{i}},"url":"{{new Uri(baseUrl, "j/" + i.ToString(CultureInfo.InvariantCulture))}}"}""";

    public static string Lane(string name, Uri baseUrl, string limits) =>
        $"""
        lanes:
          {name}:
            baseUrl: {baseUrl}
        {limits}
        """;
}
