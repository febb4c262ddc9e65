using Npgsql;
using Pacer.Cli.Config.Yaml;
using Pacer.Cli.Run;

namespace Pacer.Cli.Config;

/// <summary>Where a lane keeps the limits it shares with other processes: <c>state:</c> in pacer.yaml.</summary>
/// <param name="Kind">The store.</param>
/// <param name="Address">What to connect with: a Redis URL, or an Npgsql connection string; <c>${NAME}</c> filled in.</param>
/// <param name="Shown">The address as written, its password masked: for messages and listings.</param>
internal sealed record LaneStateAddress(LaneStateKind Kind, string Address, string Shown)
{
    public const string Rule = "redis://[user:password@]host[:port][/database], postgres://[user:password@]host[:port]/database, or local";

    /// <summary>Reads a <c>state:</c> value; <see langword="null"/> with an error added when it is not one.</summary>
    public static Setting<LaneStateAddress>? Read(YamlNode node, string where, string lane, Func<string, string?> environment, ConfigErrors errors)
    {
        if (ValueReader.Text(node, where, "state", errors) is not { } text)
        {
            return null;
        }

        var problems = new List<string>();
        string expanded = EnvironmentExpander.Expand(text, environment, $"{where}state", problems).Trim();
        foreach (string problem in problems)
        {
            errors.Add(node.At, problem);
        }

        if (problems.Count > 0)
        {
            return null;
        }

        string shown = SecretMask.Url(text);
        LaneStateAddress? address = Parse(expanded, shown, out string? problemText);
        if (address is null)
        {
            errors.Add(node.At, $"{where}state {problemText}");
            return null;
        }

        return new Setting<LaneStateAddress>(address, node.At, lane);
    }

    private static LaneStateAddress? Parse(string text, string shown, out string? problem)
    {
        problem = null;
        if (text.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            return new LaneStateAddress(LaneStateKind.Local, "", "local");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
        {
            problem = $"must be {Rule}, got {MessageText.Quote(shown)}.";
            return null;
        }

        switch (uri.Scheme.ToLowerInvariant())
        {
            case "redis" or "rediss":
                return new LaneStateAddress(LaneStateKind.Redis, text, shown);
            case "postgres" or "postgresql":
                string? connection = PostgresConnectionString(uri, out problem);
                return connection is null ? null : new LaneStateAddress(LaneStateKind.Postgres, connection, shown);
            default:
                problem = $"must be {Rule}, got {MessageText.Quote(shown)} (scheme '{uri.Scheme}').";
                return null;
        }
    }

    /// <summary>A <c>postgres://</c> URL as an Npgsql connection string: its query's keys are Npgsql's (such as <c>sslmode=require</c>).</summary>
    internal static string? PostgresConnectionString(Uri uri, out string? problem)
    {
        problem = null;
        string database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0)
        {
            problem = $"must name a database after the host, as in postgres://user@{uri.Host}/pacer.";
            return null;
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Database = database };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]);
            try
            {
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                problem = $"has an option Npgsql does not take: {MessageText.Quote(key)} ({e.Message})";
                return null;
            }
        }

        return builder.ConnectionString;
    }
}

/// <summary>The stores a lane's shared limits can live in.</summary>
internal enum LaneStateKind
{
    /// <summary>This process's own (the default).</summary>
    Local,

    /// <summary>Redis (Pacer.Redis).</summary>
    Redis,

    /// <summary>PostgreSQL (Pacer.Postgres).</summary>
    Postgres,
}
