using Npgsql;
using Pacer.Cli.Run;

namespace Pacer.Cli.Config;

/// <summary>
/// The job store <c>pacer worker --store</c> names: a <c>postgres://</c> URL (as <c>state:</c> takes
/// it) or an Npgsql connection string (<c>Host=…;Database=…</c>).
/// </summary>
/// <param name="ConnectionString">What Npgsql connects with.</param>
/// <param name="Shown">The store as it may be shown: its password masked.</param>
internal sealed record StoreAddress(string ConnectionString, string Shown)
{
    /// <summary>Reads <paramref name="text"/>; null with an error that names <c>--store</c> when it is neither form.</summary>
    public static StoreAddress? Parse(string text, List<string> errors)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            errors.Add("--store must name a PostgreSQL database: postgres://user@host/pacer or \"Host=…;Database=…\".");
            return null;
        }

        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            string shown = SecretMask.Url(text);
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
            {
                errors.Add($"--store {MessageText.Quote(shown)} is not a URL such as postgres://user@host:5432/pacer.");
                return null;
            }

            string? connection = LaneStateAddress.PostgresConnectionString(uri, out string? problem);
            if (connection is null)
            {
                errors.Add($"--store {MessageText.Quote(shown)} {problem}");
                return null;
            }

            return new StoreAddress(connection, shown);
        }

        if (!text.Contains('=', StringComparison.Ordinal))
        {
            errors.Add($"--store {MessageText.Quote(text)} is neither a postgres:// URL nor a connection string such as \"Host=localhost;Database=pacer;Username=pacer\"; pacer worker takes its jobs from PostgreSQL only.");
            return null;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(builder.Host))
            {
                errors.Add("--store names no Host: the connection string needs Host=… (and Database=…).");
                return null;
            }

            string connectionString = builder.ConnectionString;
            if (builder.Password is { Length: > 0 })
            {
                builder.Password = SecretMask.Mask;
            }

            return new StoreAddress(connectionString, builder.ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            errors.Add($"--store is not a connection string Npgsql takes: {e.Message}");
            return null;
        }
    }
}
