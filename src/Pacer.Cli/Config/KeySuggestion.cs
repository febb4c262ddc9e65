namespace Pacer.Cli.Config;

/// <summary>The known key a mistyped one most likely meant: <c>rsp</c> → <c>rps</c>, <c>base_url</c> → <c>baseUrl</c>.</summary>
internal static class KeySuggestion
{
    /// <summary>No key is longer; a longer typed key is nothing to suggest for, and its distance would cost its length squared.</summary>
    private const int MaxKeyLength = 40;

    /// <summary>The known key within two edits of <paramref name="key"/> (case and <c>_</c>/<c>-</c> aside), or null.</summary>
    public static string? Closest(string key, IEnumerable<string> known)
    {
        if (key.Length > MaxKeyLength)
        {
            return null;
        }

        string typed = Normal(key);
        string? best = null;
        int bestDistance = 3;
        foreach (string candidate in known)
        {
            int distance = Distance(typed, Normal(candidate));
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        // Two edits turn any two-letter key into another: short keys must be nearer.
        return best is not null && (bestDistance <= 1 || typed.Length > 3) ? best : null;
    }

    private static string Normal(string key) => key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Levenshtein distance with adjacent swaps counting one (rsp → rps).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
