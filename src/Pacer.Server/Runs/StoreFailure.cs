namespace Pacer.Server.Runs;

/// <summary>What a store that cannot be reached throws (a shared PostgreSQL down or restarting): the server asks again later.</summary>
internal static class StoreFailure
{
    public static bool IsTransient(Exception e) => e is System.Data.Common.DbException or TimeoutException or IOException;
}
