using Npgsql;

namespace Pacer.Postgres;

/// <summary>
/// The connection pool every Pacer.Postgres type opens: the connection string as given, with
/// Npgsql's automatic preparation turned on unless the string says otherwise. A lane state's
/// decision and a worker's claim are the same few statements, called again and again: prepared,
/// PostgreSQL parses and plans each once per connection (<c>bench/shared-state.sh</c>: a shared
/// lane's reserve with 8 processes from 1.3–1.7 ms to 0.56–0.80 ms p50).
/// </summary>
internal static class PostgresDataSource
{
    /// <summary>How many statements each connection keeps prepared.</summary>
    private const int Prepared = 20;

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // "Max Auto Prepare=0" (or MaxAutoPrepare=0) in the string turns it off (PgBouncer in transaction mode before 1.21).
        if (!connectionString.Replace(" ", "", StringComparison.Ordinal).Contains("autoprepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = Prepared;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        return builder.Build();
    }
}
