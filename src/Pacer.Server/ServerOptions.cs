namespace Pacer.Server;

/// <summary>How <c>pacer serve</c> runs: where it listens and stores, and the bounds on what it accepts.</summary>
internal sealed record ServerOptions
{
    /// <summary>The default address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5000";

    /// <summary>Where it listens, separated by ';'.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The SQLite file runs, jobs and results live in, when <see cref="Store"/> is null.</summary>
    public required string Database { get; init; }

    /// <summary>
    /// The PostgreSQL (an Npgsql connection string) that runs, jobs and results live in instead of
    /// <see cref="Database"/>, shared with other servers and <c>pacer worker</c>s; null for SQLite.
    /// </summary>
    public string? Store { get; init; }

    /// <summary>What <see cref="Store"/> is called in what the server says: its address with the password masked.</summary>
    public string? StoreShown { get; init; }

    /// <summary>
    /// The id the server claims jobs under. One server serves a SQLite file, and starts again under
    /// the same id, taking back at once what it held at a crash; on a shared PostgreSQL each server
    /// needs an id of its own (see <see cref="SharedWorkerId"/>).
    /// </summary>
    public string WorkerId { get; init; } = "pacer-serve";

    /// <summary>Whether other processes share the store: runs may then be served, and jobs ended, elsewhere.</summary>
    public bool Shared => Store is not null;

    /// <summary>Where the server says its runs are.</summary>
    public string Where => StoreShown ?? Store ?? Database;

    /// <summary>A server's id on a shared store: its host, its process and a random suffix.</summary>
    public static string SharedWorkerId() =>
        $"serve-{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    /// <summary>The key every request but the health check must give as <c>Authorization: Bearer</c>; none when null.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The largest request body accepted, in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 64L << 20;

    /// <summary>The most jobs one run may hold.</summary>
    public int MaxJobsPerRun { get; init; } = 1_000_000;

    /// <summary>The most jobs held in flight (claimed from the store and handed to their lanes) at once.</summary>
    public int MaxInFlight { get; init; } = 2_000;

    /// <summary>How long a finished run (with its results) is kept after it ends; null keeps it until it is deleted.</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>How long a claim on a job holds without renewal; a crashed server's jobs come back after it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);
}
