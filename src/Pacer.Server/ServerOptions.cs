namespace Pacer.Server;

/// <summary>How <c>pacer serve</c> runs: where it listens and stores, and the bounds on what it accepts.</summary>
internal sealed record ServerOptions
{
    /// <summary>The default address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5000";

    /// <summary>Where it listens, separated by ';'.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The SQLite file runs, jobs and results live in.</summary>
    public required string Database { get; init; }

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
