using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Pacer.Server.Api;

/// <summary>Reads a query parameter as a whole number in a range; an error names the parameter and what it got.</summary>
internal static class QueryValue
{
    /// <summary>The largest index a query may name: more than any run holds, and far from overflowing a sequence number.</summary>
    public const long MaxIndex = 1_000_000_000_000;

    public static bool TryWhole(HttpRequest request, string name, long min, long max, long? fallback, out long? value, out IResult? problem)
    {
        problem = null;
        value = fallback;
        string? text = request.Query[name];
        if (text is null)
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) || parsed < min || parsed > max)
        {
            problem = Problems.BadRequest($"Query parameter '{name}' must be a whole number from {min} to {max}, got '{Shorten(text)}'.", name);
            return false;
        }

        value = parsed;
        return true;
    }

    public static bool TryFlag(HttpRequest request, string name, out bool value, out IResult? problem)
    {
        problem = null;
        value = false;
        string? text = request.Query[name];
        if (text is null)
        {
            return true;
        }

        if (!bool.TryParse(text, out value))
        {
            problem = Problems.BadRequest($"Query parameter '{name}' must be true or false, got '{Shorten(text)}'.", name);
            return false;
        }

        return true;
    }

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
