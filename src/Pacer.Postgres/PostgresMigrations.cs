using System.Globalization;
using System.Reflection;
using Npgsql;

namespace Pacer.Postgres;

/// <summary>
/// The store's tables, as versioned SQL files (<c>Migrations/NNN_name.sql</c>, embedded), applied
/// in order at start in one transaction under an advisory lock: processes that start at once take
/// turns, and each file is applied once. A database written by a newer Pacer is refused.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock the migrations are applied under (any number, the same for every Pacer).</summary>
    private const long LockKey = 0x7061_6365_725F_6D67; // "pacer_mg"

    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    public static void Apply(NpgsqlDataSource dataSource)
    {
        using NpgsqlConnection connection = dataSource.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey.ToString(CultureInfo.InvariantCulture)});");
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS pacer_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());");
        var applied = new HashSet<int>();
        using (var read = new NpgsqlCommand("SELECT version FROM pacer_migrations;", connection, transaction))
        using (NpgsqlDataReader reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        int newest = All[^1].Version;
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The database was written by a newer Pacer (its tables are at version {applied.Max()}; this Pacer knows up to {newest})."));
        }

        foreach ((int version, string name, string sql) in All.Where(m => !applied.Contains(m.Version)))
        {
            Execute(connection, transaction, sql);
            using var record = new NpgsqlCommand("INSERT INTO pacer_migrations (version, name) VALUES ($1, $2);", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = version });
            record.Parameters.Add(new NpgsqlParameter { Value = name });
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private static List<(int, string, string)> Load()
    {
        Assembly assembly = typeof(PostgresMigrations).Assembly;
        const string Prefix = "Pacer.Postgres.Migrations.";
        var migrations = new List<(int, string, string)>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string name = resource[Prefix.Length..^".sql".Length];
            int version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            migrations.Add((version, name, text.ReadToEnd()));
        }

        return migrations;
    }
}
