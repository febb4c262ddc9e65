using Pacer.Postgres;

namespace Pacer.Postgres.Tests;

/// <summary>The pool Pacer.Postgres opens prepares what it repeats, unless the connection string says otherwise.</summary>
public sealed class PostgresDataSourceTests
{
    [Fact]
    public void Statements_ArePrepared_ByDefault()
    {
        using Npgsql.NpgsqlDataSource source = PostgresDataSource.Create("Host=db.internal;Database=pacer;Username=pacer");

        var settings = new Npgsql.NpgsqlConnectionStringBuilder(source.ConnectionString);
        Assert.Equal(20, settings.MaxAutoPrepare);
        Assert.Equal(2, settings.AutoPrepareMinUsages);
    }

    [Theory]
    [InlineData("Host=db.internal;Database=pacer;Max Auto Prepare=0")]
    [InlineData("Host=db.internal;Database=pacer;MaxAutoPrepare=0")]
    [InlineData("Host=db.internal;Database=pacer;Max Auto Prepare=5")]
    public void AConnectionStringThatSays_IsFollowed(string connectionString)
    {
        using Npgsql.NpgsqlDataSource source = PostgresDataSource.Create(connectionString);

        var given = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal(given.MaxAutoPrepare, new Npgsql.NpgsqlConnectionStringBuilder(source.ConnectionString).MaxAutoPrepare);
    }
}
